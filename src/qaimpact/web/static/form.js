// qaimpact serve: check the audit as the auditor types. The form works without this script;
// with it, the server's checker runs on every change and its findings appear beside their fields.
(function () {
  "use strict";
  var form = document.getElementById("audit-form");
  if (!form) {
    return;
  }

  // Leaving the page with changes not saved asks the browser to warn first. The server marks a
  // form that came back unsaved (a check, or a save refused) with data-unsaved; submitting the
  // form (save, check, save draft) never warns.
  var changed = form.getAttribute("data-unsaved") === "yes";
  var submitting = false;
  function markChanged() {
    changed = true;
  }
  form.addEventListener("input", markChanged);
  form.addEventListener("change", markChanged);
  form.addEventListener("submit", function () {
    submitting = true;
  });
  window.addEventListener("beforeunload", function (event) {
    if (changed && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  // Back from the browser's cache after a submit: warn again.
  window.addEventListener("pageshow", function () {
    submitting = false;
  });

  if (!window.fetch || !window.URLSearchParams || !window.FormData) {
    return;
  }
  var panel = document.getElementById("panel-body");
  var status = document.getElementById("live-status");
  var timer = null;
  var sent = 0;

  function clearField(box) {
    box.textContent = "";
    var holder = box.parentNode.closest(".field");
    if (holder) {
      holder.classList.remove("has-error");
      holder.querySelectorAll("[aria-invalid]").forEach(function (el) {
        el.removeAttribute("aria-invalid");
      });
    }
  }

  function showField(id, findings) {
    var box = document.getElementById(id + "-error");
    if (!box) {
      return;
    }
    findings.forEach(function (f) {
      var p = document.createElement("p");
      p.className = f.error ? "error" : "warning";
      var strong = document.createElement("strong");
      strong.textContent = f.error ? "Problem:" : "Check:";
      p.appendChild(strong);
      p.appendChild(document.createTextNode(" " + f.message + (f.hint ? " " + f.hint : "")));
      box.appendChild(p);
    });
    var holder = box.closest(".field");
    if (holder) {
      holder.classList.add("has-error");
      holder.querySelectorAll("input, select, textarea").forEach(function (el) {
        el.setAttribute("aria-invalid", "true");
      });
    }
  }

  function show(result) {
    // The panel is rendered by the server's autoescaping templates: audit text in it is text.
    panel.innerHTML = result.panel;
    form.querySelectorAll(".field-error").forEach(clearField);
    Object.keys(result.fields).forEach(function (id) {
      showField(id, result.fields[id]);
    });
    status.textContent = result.status;
  }

  function check() {
    var mine = ++sent;
    var data = new URLSearchParams(new FormData(form));
    data.set("op", "live");
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRF-Token": form.elements.csrf.value },
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (result) {
        if (result && mine === sent) {
          show(result);
        }
      })
      .catch(function () {
        status.textContent = "The live check stopped: is qaimpact serve still running?";
      });
  }

  function soon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 300);
  }

  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
  form.setAttribute("data-live", "on");
})();
