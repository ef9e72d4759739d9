// Progress form (progress/templates/progress/progress_form.html): a live character
// counter under each text box that has a limit, a warning, before sending, about
// files the portal will refuse, a ticked step's empty date filled with today, and
// the reason field shown only with the status "cannot". The limits come from data- attributes that
// measures/forms.py sets from the settings; the server checks everything again.
(function () {
  "use strict";

  function number(n) {
    return n.toLocaleString("th-TH");
  }

  function megabytes(size) {
    return (size / (1024 * 1024)).toFixed(1).replace(/\.0$/, "");
  }

  function note(after, id) {
    var out = document.createElement("div");
    out.id = id;
    out.className = "form-text";
    out.setAttribute("aria-live", "polite");
    after.insertAdjacentElement("afterend", out);
    var described = (after.getAttribute("aria-describedby") || "").trim();
    after.setAttribute("aria-describedby", (described + " " + id).trim());
    return out;
  }

  function counter(box) {
    var limit = parseInt(box.dataset.maxChars, 10);
    var out = note(box, box.id + "_counter");
    out.classList.add("char-counter");
    function update() {
      // As the server counts: outer blanks dropped, a line break is one character.
      var used = box.value.trim().length;
      var text = "พิมพ์แล้ว " + number(used) + " / " + number(limit) + " ตัวอักษร";
      if (used > limit) {
        text += " เกิน " + number(used - limit) + " ตัวอักษร กรุณาสรุปให้สั้นลง";
      }
      out.textContent = text;
      out.classList.toggle("text-danger", used > limit);
      out.classList.toggle("fw-bold", used > limit);
    }
    box.addEventListener("input", update);
    update();
  }

  function fileCheck(input) {
    var maxFiles = parseInt(input.dataset.maxFiles, 10);
    var maxFile = parseInt(input.dataset.maxFileBytes, 10);
    var maxTotal = parseInt(input.dataset.maxTotalBytes, 10);
    var out = note(input, input.id + "_problems");
    out.classList.add("text-danger", "file-problems");
    function problems() {
      var files = Array.prototype.slice.call(input.files || []);
      var found = [];
      var total = 0;
      files.forEach(function (file) {
        total += file.size;
        if (file.size > maxFile) {
          found.push("ไฟล์ “" + file.name + "” มีขนาด " + megabytes(file.size) +
            " MB ใหญ่เกินที่รับได้ (ไฟล์ละไม่เกิน " + megabytes(maxFile) + " MB)");
        }
      });
      if (files.length > maxFiles) {
        found.push("แนบไฟล์ได้ครั้งละไม่เกิน " + number(maxFiles) + " ไฟล์ (เลือกไว้ " +
          number(files.length) + " ไฟล์) กรุณาแบ่งแนบหลายครั้ง");
      }
      if (total > maxTotal) {
        found.push("ไฟล์ที่เลือกมีขนาดรวม " + megabytes(total) + " MB เกินที่ส่งได้ต่อครั้ง (" +
          megabytes(maxTotal) + " MB) กรุณาแบ่งแนบหลายครั้ง");
      }
      return found;
    }
    input.addEventListener("change", function () {
      out.textContent = problems().join(" ");
    });
    if (input.form) {
      input.form.addEventListener("submit", function (event) {
        var found = problems();
        if (found.length) {
          // Sending would be refused and the typed text lost with the page: stay here.
          event.preventDefault();
          out.textContent = found.join(" ") + " (ยังไม่ได้ส่งข้อมูล)";
          input.focus();
        }
      });
    }
  }

  // Today as the date fields show it (18/04/2566), in the portal's time zone.
  function todayBE(timeZone) {
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: timeZone || undefined, year: "numeric", month: "2-digit", day: "2-digit"
    }).formatToParts(new Date()).forEach(function (part) { parts[part.type] = part.value; });
    return parts.day + "/" + parts.month + "/" + (parseInt(parts.year, 10) + 543);
  }

  // Ticking a step fills its empty date with today.
  function stepDates(form) {
    form.querySelectorAll("input[type=checkbox][name^=step_]").forEach(function (box) {
      var date = form.elements[box.name + "_date"];
      if (!date) { return; }
      box.addEventListener("change", function () {
        if (box.checked && !date.value.trim()) {
          date.value = todayBE(form.dataset.timeZone);
        }
      });
    });
  }

  // The reason a measure cannot be carried out: asked only with that status (still
  // sent, and checked by the server, whatever is shown).
  function reasonShownWithStatus(form) {
    var status = form.elements.status;
    var reason = form.elements.cannot_reason;
    if (!status || !reason) { return; }
    var box = document.getElementById("div_" + reason.id) || reason;
    function update() { box.hidden = status.value !== "cannot"; }
    status.addEventListener("change", update);
    update();
  }

  function start() {
    document.querySelectorAll("textarea[data-max-chars]").forEach(counter);
    document.querySelectorAll("input[type=file][data-max-file-bytes]").forEach(fileCheck);
    var form = document.getElementById("progress-form");
    if (form) {
      stepDates(form);
      reasonShownWithStatus(form);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
