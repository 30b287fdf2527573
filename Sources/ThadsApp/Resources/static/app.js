// Progressive enhancement of the staff pages: every page works without this file.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    // A refused form: focus its error summary (GOV.UK pattern), which brings the form on screen and has it read out.
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
      summary.addEventListener("click", function (event) {
        var link = event.target.closest("a[href^='#']");
        if (!link) { return; }
        var field = document.getElementById(link.getAttribute("href").slice(1));
        if (field) { event.preventDefault(); field.scrollIntoView({ block: "center" }); field.focus(); }
      });
    }
    // Phones show each table row as a stacked card: every cell is labelled with its column heading.
    document.querySelectorAll("table.data").forEach(function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      if (!heads.length) { return; }
      table.classList.add("stackable");
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, i) {
          if (heads[i] && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", heads[i]); }
        });
      });
    });
    // The legal basis offered for a decision: only those of the chosen kind ("[Kind] code — name" options).
    document.querySelectorAll("select[name='decisionKind']").forEach(function (kind) {
      var form = kind.form;
      var grounds = form && form.querySelector("select[name='groundCode']");
      if (!grounds) { return; }
      var filter = function () {
        var chosen = kind.options[kind.selectedIndex] ? kind.options[kind.selectedIndex].text : "";
        Array.prototype.forEach.call(grounds.options, function (option) {
          var tagged = option.text.charAt(0) === "[";
          option.hidden = tagged && chosen !== "" && kind.value !== "" && option.text.indexOf("[" + chosen + "]") !== 0;
        });
        var current = grounds.options[grounds.selectedIndex];
        if (current && current.hidden) { grounds.value = ""; }
      };
      kind.addEventListener("change", filter);
      filter();
    });
    // A long option stays readable once chosen: shown in full under the list.
    document.querySelectorAll(".field select:not([multiple])").forEach(function (select) {
      var show = function () {
        var option = select.options[select.selectedIndex];
        select.title = option ? option.text : "";
      };
      select.addEventListener("change", show);
      show();
    });
    // One click on a submit button: a second click while the first request runs would post the form twice.
    document.querySelectorAll("form[method='post'], form[method='POST']").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.dataset.submitted === "1") { event.preventDefault(); return; }
        form.dataset.submitted = "1";
        setTimeout(function () { form.dataset.submitted = ""; }, 8000);
      });
    });
    // A form sent after the session ended was kept on the server: fill it in again here (never submitted).
    if (document.body.hasAttribute("data-idle-seconds") && /(?:^|; )thads_draft=1/.test(document.cookie)) {
      fetch("/ban-nhap", { credentials: "same-origin", cache: "no-store" }).then(function (response) {
        return response.status === 200 ? response.json() : null;
      }).then(function (draft) {
        if (!draft || !draft.fields) { return; }
        var here = location.pathname + location.search;
        var main = document.querySelector("main");
        if (draft.path !== here && draft.path.split("?")[0] !== location.pathname) {
          if (main) {
            var note = document.createElement("div");
            note.className = "alert warning";
            note.id = "draft-elsewhere";
            note.appendChild(document.createTextNode("Biểu mẫu bạn gửi khi phiên đăng nhập hết hạn chưa được lưu. "));
            var link = document.createElement("a");
            link.href = draft.path;
            link.textContent = "Mở lại trang đó";
            note.appendChild(link);
            main.insertBefore(note, main.firstChild);
          }
          return;
        }
        var best = null, bestScore = 0;
        document.querySelectorAll("form").forEach(function (form) {
          var score = draft.fields.filter(function (f) { return form.elements[f[0]]; }).length;
          if (score > bestScore) { best = form; bestScore = score; }
        });
        if (!best) { return; }
        draft.fields.forEach(function (f) {
          var field = best.elements[f[0]];
          if (!field) { return; }
          if (field.type === "checkbox") { field.checked = f[1] !== ""; }
          else if (field.type === "radio" || (field.length && !field.tagName)) {
            Array.prototype.forEach.call(field, function (r) { if (r.value === f[1]) { r.checked = true; } });
          } else if (field.type !== "hidden" && field.type !== "file") { field.value = f[1]; }
        });
        var restored = document.createElement("div");
        restored.className = "alert warning";
        restored.id = "draft-restored";
        restored.setAttribute("tabindex", "-1");
        restored.setAttribute("role", "alert");
        restored.textContent = "Nội dung bạn đã nhập trước khi phiên đăng nhập hết hạn đã được điền lại vào biểu mẫu "
          + "này nhưng CHƯA được lưu. Kiểm tra rồi bấm gửi.";
        best.insertBefore(restored, best.firstChild);
        restored.focus();
      });
    }
    // The idle timeout: a warning two minutes before the session ends, with a button that keeps it.
    var idle = parseInt(document.body.getAttribute("data-idle-seconds") || "0", 10);
    var warning = document.getElementById("session-warning");
    if (idle > 0 && warning) {
      var timer = null;
      var arm = function () {
        if (timer) { clearTimeout(timer); }
        warning.hidden = true;
        timer = setTimeout(function () { warning.hidden = false; }, Math.max(idle - 120, 30) * 1000);
      };
      var keep = warning.querySelector("button");
      if (keep) {
        keep.addEventListener("click", function () {
          fetch("/healthz", { credentials: "same-origin", cache: "no-store" }).then(arm, arm);
        });
      }
      arm();
    }
  });
})();
