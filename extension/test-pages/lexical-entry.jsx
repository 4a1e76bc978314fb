// Lexical in React, as a helpdesk composer: rich text, lists, links, history.
import { $generateHtmlFromNodes, $generateNodesFromDOM } from "@lexical/html";
import { LinkNode } from "@lexical/link";
import { ListItemNode, ListNode } from "@lexical/list";
import { LexicalComposer } from "@lexical/react/LexicalComposer";
import { useLexicalComposerContext } from "@lexical/react/LexicalComposerContext";
import { ContentEditable } from "@lexical/react/LexicalContentEditable";
import { LexicalErrorBoundary } from "@lexical/react/LexicalErrorBoundary";
import { HistoryPlugin } from "@lexical/react/LexicalHistoryPlugin";
import { ListPlugin } from "@lexical/react/LexicalListPlugin";
import { RichTextPlugin } from "@lexical/react/LexicalRichTextPlugin";
import { $getRoot, CLEAR_HISTORY_COMMAND } from "lexical";
import { useEffect } from "react";
import { createRoot } from "react-dom/client";

let resolveReady;
window.ready = new Promise((resolve) => { resolveReady = resolve; });

function PageApi() {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    window.editor = editor;
    window.readEditor = () => editor.getEditorState().read(() => $generateHtmlFromNodes(editor, null));
    window.readEditorText = () => editor.getEditorState().read(() => $getRoot().getTextContent());
    window.setDraft = (html) => new Promise((resolve) => {
      editor.update(() => {
        const dom = new DOMParser().parseFromString(html, "text/html");
        $getRoot().clear().append(...$generateNodesFromDOM(editor, dom));
      }, { onUpdate: () => { editor.dispatchCommand(CLEAR_HISTORY_COMMAND, undefined); resolve(); } });
    });
    resolveReady();
  }, [editor]);
  return null;
}

function Composer() {
  return (
    <LexicalComposer initialConfig={{ namespace: "reply", nodes: [ListNode, ListItemNode, LinkNode],
                                      onError: (error) => { throw error; } }}>
      <RichTextPlugin contentEditable={<ContentEditable className="editor-input" aria-label="Reply" />}
                      ErrorBoundary={LexicalErrorBoundary} />
      <HistoryPlugin />
      <ListPlugin />
      <PageApi />
    </LexicalComposer>
  );
}

createRoot(document.querySelector("#editor")).render(<Composer />);
