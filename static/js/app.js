// unionportal: small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";

  // --- Dates: dd/mm/yyyy text boxes get a calendar (a phone shows its date picker) ----------
  // The text box (data-vn-date) stays what is sent and shown; the calendar has no name.
  function toIso(text) {
    var m = /^\s*(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4})\s*$/.exec(text) ||
      /^\s*(\d{2})(\d{2})(\d{4})\s*$/.exec(text);
    if (!m) return "";
    var d = m[1].padStart(2, "0"), mo = m[2].padStart(2, "0"), y = m[3];
    var day = new Date(Number(y), Number(mo) - 1, Number(d));
    if (day.getMonth() !== Number(mo) - 1 || day.getDate() !== Number(d)) return "";
    return y + "-" + mo + "-" + d;
  }

  function fromIso(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    return m ? m[3] + "/" + m[2] + "/" + m[1] : "";
  }

  function addCalendar(box) {
    if (box.dataset.vnDateReady) return;
    box.dataset.vnDateReady = "1";
    var label = document.createElement("label");
    label.className = "vn-date-pick small text-body-secondary";
    label.appendChild(document.createTextNode("hoặc chọn trên lịch "));
    var picker = document.createElement("input");
    picker.type = "date";
    picker.className = "form-control form-control-sm d-inline-block w-auto";
    picker.value = toIso(box.value);
    label.appendChild(picker);
    box.insertAdjacentElement("afterend", label);
    picker.addEventListener("change", function () {
      if (!picker.value) return;
      box.value = fromIso(picker.value);
      box.dispatchEvent(new Event("input", { bubbles: true }));
      box.dispatchEvent(new Event("change", { bubbles: true }));
    });
    box.addEventListener("input", function () {
      picker.value = toIso(box.value);
    });
  }

  // --- CĐCS search (grassroots.search): Enter and "Tìm" search in place with htmx ------------
  function wireSearch(wrapper) {
    var box = wrapper.querySelector("input[type=search]");
    var button = wrapper.querySelector("[data-cdcs-search-button]");
    if (!box || !window.htmx) return;
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        window.htmx.trigger(box, "search");
      }
    });
    if (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        window.htmx.trigger(box, "search");
      });
    }
    // Enter in another box would "click" the form's first submit button, which is "Tìm":
    // submit with the form's own button instead (what Enter does on a form without a search).
    var form = box.form;
    if (!form) return;
    form.addEventListener("keydown", function (event) {
      var target = event.target;
      if (event.key !== "Enter" || target === box || target.tagName !== "INPUT") return;
      if (["checkbox", "radio", "text", "tel", "email", "number", "search", "date"]
        .indexOf(target.type) < 0) return;
      var save = form.querySelector("button[type=submit]:not([data-cdcs-search-button])");
      if (!save) return;
      event.preventDefault();
      form.requestSubmit(save);
    });
  }

  // --- Tables wider than the screen: a keyboard can scroll them ------------------------------
  // A scrolling wrapper with nothing focusable inside (a table of figures, no links) is given a
  // tab stop and a name, so it can be scrolled with the arrow keys (WCAG 2.1.1; axe's
  // scrollable-region-focusable). Templates may set tabindex themselves; it is kept.
  var FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";
  function scrollRegion(box) {
    if (box.hasAttribute("tabindex") || box.scrollWidth <= box.clientWidth) return;
    if (box.querySelector(FOCUSABLE)) return;
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    var caption = box.querySelector("caption");
    box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Bảng (cuộn ngang)");
  }

  function enhance(root) {
    root.querySelectorAll(".table-responsive").forEach(scrollRegion);
    root.querySelectorAll("input[data-vn-date]").forEach(addCalendar);
    root.querySelectorAll("[data-cdcs-search]").forEach(wireSearch);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  } else {
    enhance(document);
  }
})();
