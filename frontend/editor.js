// The project mode's code editor. Every <textarea data-editor> becomes a CodeMirror 6 editor
// with Python highlighting and indentation; the textarea stays in the form, hidden, and holds
// the editor's text, so saving and submitting are the same plain form posts as without
// JavaScript. Keyboard: Tab indents and Shift-Tab dedents; Escape then Tab leaves the editor.
//
// Each editor lives in a shadow root: there CodeMirror adds its styles as constructed
// stylesheets, which the site's CSP (style-src 'self', no inline style) allows; in the page
// itself it would add <style> elements, which the CSP blocks.
import { EditorView, basicSetup } from "codemirror";
import { keymap } from "@codemirror/view";
import { indentWithTab } from "@codemirror/commands";
import { HighlightStyle, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { python } from "@codemirror/lang-python";
import { tags } from "@lezer/highlight";

// Token colours of our own, with text contrast of at least 4.5:1 on the editor's background
// (CodeMirror's default palette has one under it), light or dark as the site's theme follows
// the system's setting.
var dark = window.matchMedia("(prefers-color-scheme: dark)").matches;
var palette = dark
  ? { keyword: "#d7a6ff", string: "#a8d99a", comment: "#a3a9b3", number: "#f2b482",
      definition: "#8cc8ff", special: "#ffb38a", type: "#7fd4c8" }
  : { keyword: "#770088", string: "#aa1111", comment: "#6b5000", number: "#116644",
      definition: "#0000cc", special: "#a83200", type: "#00664d" };
var colours = [
  syntaxHighlighting(
    HighlightStyle.define([
      { tag: [tags.keyword, tags.operatorKeyword, tags.controlKeyword, tags.definitionKeyword,
              tags.moduleKeyword], color: palette.keyword },
      { tag: [tags.string, tags.docString], color: palette.string },
      { tag: [tags.comment], color: palette.comment, fontStyle: "italic" },
      { tag: [tags.number, tags.bool, tags.null, tags.atom], color: palette.number },
      { tag: [tags.definition(tags.variableName), tags.function(tags.definition(tags.variableName)),
              tags.definition(tags.propertyName)], color: palette.definition },
      { tag: [tags.escape, tags.regexp, tags.special(tags.string), tags.self,
              tags.special(tags.variableName), tags.invalid], color: palette.special },
      { tag: [tags.className, tags.typeName, tags.namespace], color: palette.type },
    ])
  ),
];
if (dark) {
  colours.push(
    EditorView.theme(
      {
        "&": { color: "#e6e6e6", backgroundColor: "#1b1d22" },
        ".cm-content": { caretColor: "#ffffff" },
        ".cm-gutters": { color: "#b0b4bd", backgroundColor: "#22252b", borderColor: "#3a3d44" },
        ".cm-activeLine, .cm-activeLineGutter": { backgroundColor: "#2a2d34" },
        "&.cm-focused .cm-selectionBackground, .cm-selectionBackground": { backgroundColor: "#3d4a63" },
      },
      { dark: true }
    )
  );
}

function enhance(textarea) {
  var label = document.querySelector('label[for="' + textarea.id + '"]');
  var host = document.createElement("div");
  host.className = "code-editor";
  var root = host.attachShadow({ mode: "open" });
  textarea.parentNode.insertBefore(host, textarea);
  var view = new EditorView({
    doc: textarea.value,
    root: root,
    parent: root,
    extensions: [
      basicSetup,
      keymap.of([indentWithTab]),
      indentUnit.of("    "),
      python(),
      colours,
      // Long lines wrap rather than scroll: on a phone the editor never scrolls sideways, and
      // a region that scrolls needs a focus stop of its own, which keyboard users would meet.
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({ "aria-label": label ? label.textContent : textarea.name }),
      EditorView.updateListener.of(function (update) {
        if (update.docChanged) textarea.value = update.state.doc.toString();
      }),
    ],
  });
  textarea.hidden = true;
  if (label) label.addEventListener("click", function () { view.focus(); });
}

document.querySelectorAll("textarea[data-editor]").forEach(enhance);
