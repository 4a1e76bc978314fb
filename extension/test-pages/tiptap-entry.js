import { Editor } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";

const editor = new Editor({ element: document.querySelector("#editor"), extensions: [StarterKit], content: "" });
window.editor = editor;
window.readEditor = () => editor.getHTML();
window.readEditorText = () => editor.getText();
window.setDraft = (html) => editor.chain().setMeta("addToHistory", false).setContent(html).run();
window.ready = Promise.resolve();
