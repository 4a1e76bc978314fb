// Slate in React, controlled: the editor's value lives in React state, as helpdesk composers keep it.
import { useMemo, useState } from "react";
import { createRoot } from "react-dom/client";
import { createEditor, Editor, Node, Transforms } from "slate";
import { withHistory } from "slate-history";
import { Editable, Slate, withReact } from "slate-react";

const paragraphs = (text) => text.split("\n").map((line) => ({ type: "paragraph", children: [{ text: line }] }));
const escape = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function Composer() {
  const editor = useMemo(() => withHistory(withReact(createEditor())), []);
  const [value, setValue] = useState(paragraphs(""));
  window.editor = editor;
  window.value = value;
  window.readEditor = () => window.value.map((block) => `<p>${escape(Node.string(block))}</p>`).join("");
  window.readEditorText = () => window.value.map((block) => Node.string(block)).join("\n");
  // a draft as the helpdesk loads it: text, a paragraph a line (Slate has no HTML reader of its own)
  window.setDraft = (html) => {
    const text = new DOMParser().parseFromString(html.replace(/<\/(p|li)>/g, "$&\n"), "text/html").body.textContent.trim();
    Editor.withoutNormalizing(editor, () => {
      Transforms.delete(editor, { at: { anchor: Editor.start(editor, []), focus: Editor.end(editor, []) } });
      Transforms.insertFragment(editor, paragraphs(text), { at: Editor.start(editor, []) });
    });
    editor.history = { undos: [], redos: [] };
  };
  return (
    <Slate editor={editor} initialValue={value} onChange={(next) => { window.value = next; setValue(next); }}>
      <Editable aria-label="Reply" style={{ minHeight: 80, border: "1px solid #999", padding: 4 }} />
    </Slate>
  );
}

createRoot(document.querySelector("#editor")).render(<Composer />);
window.ready = new Promise((resolve) => setTimeout(resolve, 0));
