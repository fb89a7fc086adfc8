// Tables on a phone: each cell is labelled with its column's header (data-label) and the table
// marked "stackable", so that below 40rem app.css draws every row as a small card and nothing
// scrolls sideways. The roles are set explicitly because a table drawn as blocks loses them in
// some browsers. Without JavaScript a wide table scrolls inside its own box instead.
(function () {
  "use strict";
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function stack(table) {
    var heads = table.querySelectorAll("thead th");
    if (!heads.length) return;
    var names = Array.prototype.map.call(heads, function (th) { return th.textContent.replace(/\s+/g, " ").trim(); });
    table.setAttribute("role", "table");
    each(table.querySelectorAll("thead, tbody"), function (group) { group.setAttribute("role", "rowgroup"); });
    each(table.querySelectorAll("tr"), function (row) { row.setAttribute("role", "row"); });
    each(heads, function (th) { th.setAttribute("role", "columnheader"); });
    each(table.querySelectorAll("tbody tr"), function (row) {
      var column = 0;
      each(row.children, function (cell) {
        cell.setAttribute("role", cell.tagName === "TH" ? "rowheader" : "cell");
        if (names[column] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", names[column]);
        column += cell.colSpan || 1;
      });
    });
    table.classList.add("stackable");
  }
  document.addEventListener("DOMContentLoaded", function () {
    each(document.querySelectorAll("table.data, table.chart-table"), stack);
  });
})();
