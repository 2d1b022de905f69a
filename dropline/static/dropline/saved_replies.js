// The ticket page's saved-reply picker: "Use this reply" puts the chosen text into the
// reply box where the cursor is, without reloading the page. Without scripts the picker's
// form is a GET that comes back with the reply box filled in.
(function () {
  "use strict";
  var data = document.getElementById("saved-reply-bodies");
  if (!data) return;
  var bodies = JSON.parse(data.textContent);
  document.querySelectorAll("form.saved-reply-picker").forEach(function (picker) {
    picker.addEventListener("submit", function (event) {
      var select = picker.querySelector("select");
      var box = document.getElementById(picker.dataset.target);
      var text = select && bodies[select.value];
      if (!box || !text) return; // nothing chosen: let the page say so
      event.preventDefault();
      var start = box.selectionStart || 0;
      var end = box.selectionEnd || 0;
      box.value = box.value.slice(0, start) + text + box.value.slice(end);
      box.focus();
      box.setSelectionRange(start + text.length, start + text.length);
    });
  });
})();
