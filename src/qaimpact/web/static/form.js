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
  form.addEventListener("submit", function (event) {
    if (tooLong(event.submitter)) {
      event.preventDefault();
      return;
    }
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

  // A form longer than serve takes is not sent (serve would refuse it, and going back to a page
  // that came from a save or a check cannot always bring the answers back): the page says which
  // answers to shorten, and by how much, at the top and beside each. Nothing is stored anywhere.
  var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10);
  var maxFields = parseInt(form.getAttribute("data-max-fields"), 10);
  var tooLongBox = document.getElementById("too-long");

  function megabytes(size) {
    return (Math.round(size / 100000) / 10).toLocaleString("en-GB") + " MB";
  }

  function count(n) {
    return n.toLocaleString("en-GB");
  }

  function labelOf(el) {
    // CSS.escape: an id may hold a quotation mark or a backslash.
    var label = el.id ? form.querySelector('label[for="' + CSS.escape(el.id) + '"]') : null;
    var text = label ? label.textContent.replace("(required)", "").trim() : el.name;
    var group = el.closest("fieldset.standard, fieldset.block");
    var legend = group ? group.querySelector("legend") : null;
    return legend ? legend.textContent.trim() + ": " + text : text;
  }

  // The field of the form sending this name, if it is an answer (not the form's hidden fields).
  function answerNamed(name) {
    var el = form.querySelector('[name="' + CSS.escape(name) + '"]');
    return el && el.type !== "hidden" ? el : null;
  }

  // A name or value as the browser sends it: line breaks as CR LF.
  function asSent(text) {
    return text.replace(/\r\n|\r|\n/g, "\r\n");
  }

  // The bytes a text takes in the form as sent (application/x-www-form-urlencoded, as serve
  // measures it): UTF-8, a space as "+", letters, digits and * - . _ as they are, every other byte
  // as %XX. URLSearchParams encodes as the browser's form does.
  function bytesSent(text) {
    return new URLSearchParams([[text, ""]]).toString().length - 1;
  }

  // Characters as the auditor counts them (and serve): a line break is one, and so is a letter
  // outside the Basic Multilingual Plane (two UTF-16 code units here).
  function charsOf(text) {
    var plain = text.replace(/\r\n/g, "\n");
    var pairs = plain.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g);
    return plain.length - (pairs ? pairs.length : 0);
  }

  function tooLong(submitter) {
    if (!maxBytes || !window.URLSearchParams || !window.FormData || !window.CSS || !tooLongBox) {
      return false;
    }
    form.querySelectorAll(".too-long-note").forEach(function (note) {
      note.remove();
    });
    var pairs = [];
    var entries = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value !== "string") {
        return;
      }
      var sent = asSent(value);
      pairs.push([asSent(name), sent]);
      var el = value ? answerNamed(name) : null;
      if (el) {
        entries.push({ name: name, el: el, sent: bytesSent(sent), chars: charsOf(sent) });
      }
    });
    if (submitter && submitter.name) {
      pairs.push([asSent(submitter.name), asSent(submitter.value)]);
    }
    // The body the browser sends: name=value pairs joined by "&".
    var size = new URLSearchParams(pairs).toString().length;
    var fields = pairs.length;
    if (size <= maxBytes && fields <= maxFields) {
      tooLongBox.hidden = true;
      tooLongBox.textContent = "";
      return false;
    }
    tooLongBox.textContent = "";
    var lead = document.createElement("p");
    var list = document.createElement("ul");
    var comesTo =
      "it comes to " +
      (megabytes(size) === megabytes(maxBytes) ? "just over " + megabytes(maxBytes) : megabytes(size)) +
      ", and serve takes at most " + megabytes(maxBytes) + " in one form";
    if (size <= maxBytes) {
      lead.textContent =
        "This form has more than " + count(maxFields) + " answers, more than serve takes, so it was not " +
        "sent. Nothing is lost: everything you typed is still in the form. Remove some remedial " +
        "action rows, then save again.";
    } else {
      // The longest answers, as many as make it too long (at most five), as serve picks them;
      // none where shortening answers cannot make it short enough.
      var left = size - maxBytes;
      var answered = entries.reduce(function (total, entry) {
        return total + entry.sent;
      }, 0);
      if (answered < left) {
        entries = []; // emptying every answer would still leave it too long
      }
      entries.sort(function (a, b) {
        return b.sent - a.sent || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
      });
      entries.slice(0, 5).forEach(function (entry) {
        if (left <= 0) {
          return;
        }
        var perChar = entry.sent / entry.chars;
        var cut = Math.min(entry.chars, Math.ceil(left / perChar));
        left -= cut === entry.chars ? entry.sent : Math.ceil(cut * perChar);
        var el = entry.el;
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = el.id ? "#" + el.id : "#audit-form";
        link.textContent = labelOf(el);
        item.appendChild(link);
        item.appendChild(
          document.createTextNode(
            " (" + count(entry.chars) + " characters: shorten it by at least " + count(cut) + ")"
          )
        );
        list.appendChild(item);
        var box = el.id ? document.getElementById(el.id + "-error") : null;
        if (box) {
          var note = document.createElement("p");
          note.className = "error too-long-note";
          var strong = document.createElement("strong");
          strong.textContent = "Problem:";
          note.appendChild(strong);
          note.appendChild(
            document.createTextNode(
              " This answer is " + count(entry.chars) + " characters long: shorten it by at least " +
                count(cut) + " characters for the form to be sent."
            )
          );
          box.appendChild(note);
        }
      });
      if (list.children.length) {
        lead.textContent =
          "This form is too long to send, so it was not sent: " + comesTo + " (" +
          form.getAttribute("data-in-letters") + "). Nothing is lost: everything you typed is still " +
          "in the form. Shorten " + (list.children.length === 1 ? "this answer" : "these answers") +
          ", then save again:";
      } else {
        lead.textContent =
          "This form is too large to send, so it was not sent: " + comesTo + ". None of your " +
          "answers is long enough to be the cause: something is wrong with the page itself. Nothing " +
          "is lost: everything you typed is still in the form. Copy anything you need to " +
          "keep, then reload the page. If this happens again, ask whoever set up qaimpact for help.";
      }
    }
    tooLongBox.appendChild(lead);
    if (list.children.length) {
      tooLongBox.appendChild(list);
    }
    tooLongBox.hidden = false;
    tooLongBox.focus();
    return true;
  }

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
        if (response.ok) {
          return response.json();
        }
        // Refused (a form too long, say): serve says why as JSON; say it, and keep the panel.
        return response.json().then(
          function (refused) {
            if (refused && refused.status && mine === sent) {
              status.textContent = refused.status;
            }
            return null;
          },
          function () {
            return null;
          }
        );
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
