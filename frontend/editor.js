// The project mode's code editor. Every <textarea data-editor> becomes a CodeMirror 6 editor
// with Python highlighting and indentation; the textarea stays in the form, hidden, and holds
// the editor's text, so saving and submitting are the same plain form posts as without
// JavaScript. Keyboard: Tab indents and Shift-Tab dedents; Escape then Tab leaves the editor.
import { EditorView, basicSetup } from "codemirror";
import { keymap } from "@codemirror/view";
import { indentWithTab } from "@codemirror/commands";
import { indentUnit } from "@codemirror/language";
import { python } from "@codemirror/lang-python";

function enhance(textarea) {
  var label = document.querySelector('label[for="' + textarea.id + '"]');
  var view = new EditorView({
    doc: textarea.value,
    extensions: [
      basicSetup,
      keymap.of([indentWithTab]),
      indentUnit.of("    "),
      python(),
      EditorView.contentAttributes.of({ "aria-label": label ? label.textContent : textarea.name }),
      EditorView.updateListener.of(function (update) {
        if (update.docChanged) textarea.value = update.state.doc.toString();
      }),
    ],
  });
  textarea.parentNode.insertBefore(view.dom, textarea);
  textarea.hidden = true;
  if (label) label.addEventListener("click", function () { view.focus(); });
}

document.querySelectorAll("textarea[data-editor]").forEach(enhance);
