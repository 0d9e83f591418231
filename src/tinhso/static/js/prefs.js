// Text size and contrast switches, as on provincial portals. The choice is kept in a cookie so the
// server renders the right class on the next page (no flash), and works without this script for
// everything else.
(function () {
  "use strict";
  var root = document.documentElement;
  function setCookie(name, value) {
    document.cookie = name + "=" + encodeURIComponent(value) + ";path=/;max-age=31536000;SameSite=Lax";
  }
  document.querySelectorAll("[data-text-size]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var size = btn.getAttribute("data-text-size");
      root.classList.remove("text-large", "text-larger", "text-normal");
      root.classList.add("text-" + size);
      setCookie("tinhso_text", size);
    });
  });
  document.querySelectorAll("[data-contrast-toggle]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var on = !root.classList.contains("contrast-high");
      root.classList.toggle("contrast-high", on);
      btn.setAttribute("aria-pressed", on ? "true" : "false");
      setCookie("tinhso_contrast", on ? "high" : "normal");
    });
  });
})();
