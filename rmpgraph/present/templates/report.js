(function () {
  "use strict";
  function rows(table) { return Array.prototype.slice.call(table.querySelectorAll("tr.concern")); }
  function apply(box) {
    var table = document.getElementById(box.getAttribute("data-table"));
    var text = box.querySelector(".f-text").value.trim().toLowerCase();
    var cat = box.querySelector(".f-cat").value;
    var only = box.querySelector(".f-routine").checked;
    var shown = 0;
    rows(table).forEach(function (tr) {
      var ok = (!text || tr.getAttribute("data-name").indexOf(text) >= 0) &&
        (!cat || tr.getAttribute("data-category") === cat) &&
        (!only || tr.classList.contains("routine-only"));
      tr.classList.toggle("hidden", !ok);
      if (ok) { shown += 1; }
    });
    table.querySelectorAll("tbody").forEach(function (tb) {
      var any = tb.querySelector("tr.concern:not(.hidden)");
      tb.classList.toggle("hidden", !any);
    });
    box.querySelector(".f-count").textContent = shown + " shown";
    var key = box.querySelector(".f-sort").value;
    table.querySelectorAll("tbody").forEach(function (tb) {
      var list = Array.prototype.slice.call(tb.querySelectorAll("tr.concern"));
      list.sort(function (a, b) {
        if (key === "name") { return a.getAttribute("data-name").localeCompare(b.getAttribute("data-name")); }
        var d = Number(a.getAttribute("data-" + (key === "doc" ? "pos" : "count"))) -
                Number(b.getAttribute("data-" + (key === "doc" ? "pos" : "count")));
        return key === "most" ? -d : d;
      });
      list.forEach(function (tr) { tb.appendChild(tr); });
    });
  }
  document.querySelectorAll(".controls").forEach(function (box) {
    box.addEventListener("input", function () { apply(box); });
    box.addEventListener("change", function () { apply(box); });
    apply(box);
  });
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (el && el.tagName === "DETAILS") { el.open = true; }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
}());
