// Tables on a phone: each cell is labelled with its column's header (data-label) and the table
// marked "stackable", so that below 40rem app.css draws every row as a small card and nothing
// scrolls sideways. The roles are set explicitly because a table drawn as blocks loses them in
// some browsers. Without JavaScript a wide table scrolls inside its own box instead.
//
// Long tables (more than LONG rows, or marked data-search) also get a search box and sortable
// columns: the header's button sorts by that column (numbers as numbers, dates as dates, text by
// locale with numbers inside it in order; a cell's data-sort, when present, is its key), again
// in reverse, and aria-sort says which. Without JavaScript the table is shown as the server sent it.
(function () {
  "use strict";
  var LONG = 10;
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function clean(text) { return text.replace(/\s+/g, " ").trim(); }
  function stack(table) {
    var heads = table.querySelectorAll("thead th");
    if (!heads.length) return;
    var names = Array.prototype.map.call(heads, function (th) { return clean(th.textContent); });
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

  // ------------------------------------------------------------------ search and sort
  var counter = 0;
  function rowsOf(body) {
    return Array.prototype.filter.call(body.rows, function (row) { return !row.querySelector("td[colspan], th[colspan]"); });
  }
  function cellAt(row, index) {
    var column = 0;
    for (var i = 0; i < row.cells.length; i++) {
      if (column === index) return row.cells[i];
      column += row.cells[i].colSpan || 1;
    }
    return null;
  }
  function keyOf(cell) {
    if (!cell) return "";
    return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : clean(cell.textContent);
  }
  function number(text) {
    var plain = text.replace(/[,\s%]/g, "");
    return /^[-+]?\d+(\.\d+)?$/.test(plain) ? parseFloat(plain) : NaN;
  }
  function date(text) {
    if (!/\d{4}/.test(text) || !/[-\s]/.test(text)) return NaN;
    return Date.parse(text.replace(/ UTC$/, "Z").replace(/ ([A-Z]{3,4})$/, ""));
  }
  function comparer(keys) {
    var filled = keys.filter(function (k) { return k !== "" && k !== "—"; });
    var kinds = [number, date];
    for (var k = 0; k < kinds.length; k++) {
      var read = kinds[k];
      if (filled.length && filled.every(function (v) { return !isNaN(read(v)); })) {
        return function (a, b) {
          var x = read(a), y = read(b);
          if (isNaN(x)) return isNaN(y) ? 0 : 1;  // blanks last
          if (isNaN(y)) return -1;
          return x - y;
        };
      }
    }
    return function (a, b) { return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" }); };
  }
  function sortBy(table, th, index) {
    var body = table.tBodies[0];
    var rows = rowsOf(body);
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var keys = rows.map(function (row) { return keyOf(cellAt(row, index)); });
    var compare = comparer(keys);
    var order = rows.map(function (row, i) { return i; });
    order.sort(function (i, j) { return (ascending ? 1 : -1) * compare(keys[i], keys[j]) || i - j; });
    order.forEach(function (i) { body.appendChild(rows[i]); });
    each(table.querySelectorAll("thead th[aria-sort]"), function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }
  function sortable(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    var column = 0;
    each(heads, function (th) {
      var index = column;
      column += th.colSpan || 1;
      var label = clean(th.textContent);
      if (!label) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = label;
      button.setAttribute("aria-label", "Sort by " + label);
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, th, index); });
    });
  }
  function searchable(table) {
    var body = table.tBodies[0];
    var total = rowsOf(body).length;
    var id = "table-search-" + (++counter);
    var box = document.createElement("div");
    box.className = "table-search";
    var label = document.createElement("label");
    label.setAttribute("for", id);
    label.textContent = "Search this table";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    var status = document.createElement("span");
    status.className = "small muted";
    status.setAttribute("role", "status");
    status.textContent = total + " rows";
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(status);
    (table.closest(".table-wrap") || table).insertAdjacentElement("beforebegin", box);
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rowsOf(body).forEach(function (row) {
        var text = row.textContent.toLowerCase();
        var match = words.every(function (w) { return text.indexOf(w) !== -1; });
        row.hidden = !match;
        if (match) shown++;
      });
      status.textContent = words.length ? shown + " of " + total + " rows" : total + " rows";
    });
  }
  function enhance(table) {
    if (!table.tBodies.length || !table.tHead || table.hasAttribute("data-enhanced")) return;
    table.setAttribute("data-enhanced", "");  // once, however often the page's load event comes
    var long = rowsOf(table.tBodies[0]).length > LONG;
    if (!long && !table.hasAttribute("data-search")) return;
    sortable(table);
    searchable(table);
  }

  document.addEventListener("DOMContentLoaded", function () {
    each(document.querySelectorAll("table.data, table.chart-table"), stack);
    each(document.querySelectorAll("table.data"), enhance);
  });
})();
