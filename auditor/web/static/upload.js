// Progressive enhancement of the upload forms: drag and drop onto the file box, the chosen
// file's name and size shown before sending, and the bytes sent shown while it goes (the form is
// sent by XMLHttpRequest for its upload progress; the answer's page is then opened, and an upload's
// page shows the stages of its check). Without JavaScript the plain form works as is.
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
  function sendWithProgress(form) {
    if (!window.XMLHttpRequest || !window.FormData) return;
    form.addEventListener("submit", function (event) {
      var input = form.querySelector("input[type=file]");
      if (!input || !input.files || !input.files.length) return;  // the browser says what is missing
      event.preventDefault();
      var button = form.querySelector("button[type=submit], button:not([type])");
      var box = form.querySelector(".sending");
      if (!box) {
        box = document.createElement("div");
        box.className = "sending";
        box.setAttribute("role", "status");
        box.innerHTML = '<progress max="100" value="0"></progress> <span class="sent"></span>';
        form.appendChild(box);
      }
      var bar = box.querySelector("progress");
      var words = box.querySelector(".sent");
      var total = input.files[0].size;
      words.textContent = "Sending " + describe(total) + "…";
      if (button) button.disabled = true;
      form.setAttribute("aria-busy", "true");
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.upload.addEventListener("progress", function (progress) {
        if (!progress.lengthComputable) return;
        var percent = Math.floor((100 * progress.loaded) / progress.total);
        bar.value = percent;
        words.textContent = "Sent " + describe(Math.min(progress.loaded, total)) + " of " + describe(total) + " (" + percent + " %)";
      });
      request.upload.addEventListener("load", function () {
        bar.value = 100;
        words.textContent = "Sent " + describe(total) + ". Stored and queued for checking…";
      });
      request.addEventListener("load", function () {
        if (request.status < 400 && request.responseURL) {
          window.location.assign(request.responseURL);  // the upload's page: the stages of its check
          return;
        }
        document.open();  // the server's own page saying what was refused, and why
        document.write(request.responseText);
        document.close();
      });
      request.addEventListener("error", function () {
        words.textContent = "The upload was interrupted before it was stored. Check the connection and send it again.";
        if (button) button.disabled = false;
        form.removeAttribute("aria-busy");
      });
      request.send(new FormData(form));
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form.upload"), function (form) {
      enhance(form);
      sendWithProgress(form);
    });
  });
})();
