// ReDoc for /redoc, from the vendored standalone bundle.
window.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("redoc");
  Redoc.init(el.getAttribute("data-spec-url"), { hideDownloadButton: false, expandResponses: "200" }, el);
});
