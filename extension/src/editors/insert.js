// The one insertion path. Every editor, whatever model it keeps, learns what the user selected from the
// DOM selection and takes a paste; so kindreply does what a user does:
//   1. select: set the DOM selection, wait until the editor has taken it (editors read it on
//      `selectionchange`, which the browser fires after the current task, and some throttle), and check
//      that it still covers the draft (an editor that did not take it draws its own selection back);
//   2. paste: a `paste` event, then a `beforeinput` of type insertFromPaste, both carrying a DataTransfer
//      with text/html and text/plain, as the browser sends them; an editor that handles either cancels it
//      and inserts through its own model, in one step of its own history. When neither is cancelled, the
//      editor leaves editing to the browser (a textarea, a plain contenteditable): then the browser's own
//      editing command does it, with its real input events and native undo, as its paste would;
//   3. read the editor's text back once it has settled, for the caller to compare.
import { canon, sleep } from "./text.js";

const EVENT = { bubbles: true, cancelable: true, composed: true };

export function focus(family, root) {
  const view = root.ownerDocument.defaultView;
  if (view !== window) view.focus(); // an editor in a same-origin frame (TinyMCE)
  root.focus({ preventScroll: true });
}

// Until the editor has had the `selectionchange` and time to act on it (Slate throttles it to 100 ms).
async function selectionTaken(doc) {
  await new Promise((resolve) => {
    const timer = setTimeout(resolve, 150);
    doc.addEventListener("selectionchange", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
  await sleep(150);
}

// Select `part` (the whole editor, or the agent's selection) through the editor's own selection handling.
// True when the selection, as the editor left it, covers exactly the part's text.
export async function select(family, root, part) {
  for (let attempt = 0; attempt < 3; attempt++) {
    focus(family, root);
    family.select(root, part);
    // A user's selection ends with the mouse button going up; some editors note the selection, and record
    // the state their undo goes back to, only then (Summernote).
    family.eventTarget(root).dispatchEvent(new MouseEvent("mouseup", { ...EVENT, view: root.ownerDocument.defaultView }));
    await selectionTaken(root.ownerDocument);
    if (canon(family.selectedText(root)) === canon(part.text)) return true;
  }
  return false;
}

// Insert `content` ({html, text}) over the selection, as a user's paste arrives. Returns who inserted it.
export function paste(family, root, content) {
  const target = family.eventTarget(root);
  const data = new DataTransfer();
  if (family.format === "html") data.setData("text/html", content.html);
  data.setData("text/plain", content.text);
  if (family.pasteEvent !== false && !target.dispatchEvent(new ClipboardEvent("paste", { ...EVENT, clipboardData: data }))) return "paste";
  if (!target.dispatchEvent(new InputEvent("beforeinput", { ...EVENT, inputType: "insertFromPaste", dataTransfer: data }))) return "beforeinput";
  root.ownerDocument.execCommand(family.insertCommand, false, family.format === "html" ? content.html : content.text);
  return "browser";
}

// Ctrl+Z (Cmd+Z on a Mac) as the editor gets it from the keyboard: an editor with its own history handles
// the key and cancels it; otherwise the browser's undo runs, which is what the key press does there.
export function pressUndo(family, root) {
  focus(family, root);
  const target = family.eventTarget(root);
  const mac = /Mac|iPhone|iPad/.test(navigator.platform);
  const key = { ...EVENT, key: "z", code: "KeyZ", keyCode: 90, which: 90, ctrlKey: !mac, metaKey: mac };
  if (target.dispatchEvent(new KeyboardEvent("keydown", key))) root.ownerDocument.execCommand("undo");
  target.dispatchEvent(new KeyboardEvent("keyup", key));
}

// The editor's text once it has stopped changing: editors render their model after the event (React in a
// later task, Lexical in a microtask, some after a timer), and the read must see the end of that.
export async function settledText(family, root, { quietMs = 300, maxMs = 3000 } = {}) {
  const start = Date.now();
  let last = family.text(root);
  let quietSince = start;
  while (Date.now() - start < maxMs) {
    await sleep(50);
    const now = family.text(root);
    if (now !== last) {
      last = now;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= quietMs) {
      break;
    }
  }
  return last;
}
