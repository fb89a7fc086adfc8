// Progressive enhancement of the upload forms: drag and drop onto the file box, and the chosen
// file's name and size shown before sending. Without JavaScript the plain file input works as is.
(function () {
  "use strict";
  function describe(size) {
    if (size >= 1048576) return (size / 1048576).toFixed(1) + " MB";
    if (size >= 1024) return (size / 1024).toFixed(0) + " KB";
    return size + " bytes";
  }
  function enhance(form) {
    var zone = form.querySelector(".dropzone");
    var input = form.querySelector("input[type=file]");
    var chosen = form.querySelector(".chosen");
    var limit = parseInt(form.getAttribute("data-limit"), 10) || 0;
    if (!zone || !input) return;
    function show() {
      var file = input.files && input.files[0];
      if (!file) { chosen.textContent = ""; return; }
      var tooBig = limit && file.size > limit;
      chosen.textContent = tooBig
        ? file.name + " is " + describe(file.size) + ": over the limit of " + describe(limit) + "."
        : "Ready to upload: " + file.name + " (" + describe(file.size) + ")";
      chosen.classList.toggle("too-big", !!tooBig);
    }
    input.addEventListener("change", show);
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("dragging");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.remove("dragging");
      });
    });
    zone.addEventListener("drop", function (event) {
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        show();
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form.upload"), enhance);
  });
})();
