// The word diff between the draft and the rewrite, for the preview: what was kept, added, removed.
import { diffWordsWithSpace } from "diff";

export function diffWords(before, after) {
  return diffWordsWithSpace(before, after).map((change) => ({
    type: change.added ? "added" : change.removed ? "removed" : "same",
    text: change.value,
  }));
}
