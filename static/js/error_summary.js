// A refused form (issue 21, accessibility): the fields to fix are listed at the top of
// the form, each a link to its field, and the list takes focus as the page opens so
// that it is what a screen reader reads first. Built from what the server rendered
// (Bootstrap's .is-invalid fields and their .invalid-feedback); without script the
// errors still show beside each field. A form refused as a whole (no field marked)
// gets focus on its first alert instead.
(function () {
  "use strict";

  function labelOf(field) {
    var label = field.id && document.querySelector('label[for="' + field.id + '"]');
    var text = label ? label.textContent : field.getAttribute("aria-label") || field.name;
    return text.replace(/\*\s*$/, "").trim();
  }

  function messageOf(field) {
    var group = field.closest(".mb-3, .form-group, td, fieldset") || field.parentElement;
    var feedback = group && group.querySelector(".invalid-feedback");
    return feedback ? feedback.textContent.trim() : "";
  }

  function summary(fields) {
    var box = document.createElement("div");
    box.className = "alert alert-danger";
    box.id = "error-summary";
    box.setAttribute("role", "alert");
    box.setAttribute("tabindex", "-1");
    var title = document.createElement("p");
    title.className = "fw-bold mb-1";
    title.textContent = "ยังไม่ได้บันทึก กรุณาแก้ไข " + fields.length + " รายการต่อไปนี้";
    var list = document.createElement("ul");
    list.className = "mb-0";
    fields.forEach(function (field) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + field.id;
      link.textContent = labelOf(field);
      item.appendChild(link);
      var message = messageOf(field);
      if (message) item.appendChild(document.createTextNode(": " + message));
      list.appendChild(item);
    });
    box.append(title, list);
    return box;
  }

  var fields = Array.prototype.filter.call(
    document.querySelectorAll("main form .is-invalid"),
    function (field) { return field.id && field.type !== "hidden"; }
  );
  var alert = document.querySelector("main .alert-danger[role=alert]");
  var target = alert;
  if (fields.length) {
    var built = summary(fields);
    if (alert) {
      // The page says it was refused already: the list goes under its words.
      alert.appendChild(built.querySelector("ul"));
    } else {
      target = built;
      fields[0].form.insertAdjacentElement("beforebegin", built);
    }
  }
  if (target) {
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
  }
})();
