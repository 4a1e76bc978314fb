"""What the model could do for the external set: its opinion of the sentences the phrase lists keep, and its edits.

    python bench/external_tone.py                  # counts per threshold -> stdout
    python bench/external_tone.py --edits 0.8      # and the model's edit of each sentence at or over 0.8
                                                   #   -> /tmp/kindreply-external-edits.txt, to read

The external set (../shared/eval/, first 40 emails, as in bench/reading.py) is impolite by judgement of the
reader ("your approach lacks…") spread over whole emails, which the phrase lists mostly keep. This measures
the two things a model-based fix would need: that the model's rude/fine opinion (``classify.rude_chance``)
finds those sentences without flagging fine ones, and that its edit of such a sentence is kinder and says the
same. The edit prompt below is an experiment written for this measurement, not one of the product's styles.
The output file stays outside the repository (the corpus's licence).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from kindreply.config import Settings
from kindreply.model import Generation
from kindreply.rewrite import acknowledge, classify, sentences
from kindreply.service import Service

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import reading  # noqa: E402

THRESHOLDS = (0.3, 0.5, 0.7, 0.8, 0.9)
SYSTEM = """You edit one sentence of an email. The sentence judges the reader as a person (their competence, \
attitude, character or motives) or mocks them. Rewrite it so that it speaks only about the work, the facts or \
what the writer needs, calmly and respectfully, as a colleague would.

Rules you never break:
- Keep every fact, name, number and request. Keep the writer's position: a criticism stays a criticism of the \
work, a disagreement stays a disagreement, a demand stays a request.
- Do not add praise, apologies, offers or promises.
- One sentence, about as long as the original.
Answer with the edited sentence only."""
EXAMPLES = [
    ("Your report is sloppy and shows a complete lack of care.", "The report needs more care and attention to detail."),
    ("It's disappointing that you once again ignored the deadline.", "The deadline was missed again, and I'd like us to look at why."),
    ("Your assumptions about my team are baseless.", "I see the situation with my team differently."),
    ("Perhaps it's time you reconsidered whether you're fit to lead this project.", "I'd like us to review how this project is being led."),
]


def edit_messages(sentence: str) -> list[dict[str, str]]:
    turns = [{"role": "system", "content": SYSTEM}]
    for before, after in EXAMPLES:
        turns += [{"role": "user", "content": f"Sentence: {before}"}, {"role": "assistant", "content": after}]
    return turns + [{"role": "user", "content": f"Sentence: {sentence}"}]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=40)
    parser.add_argument("--edits", type=float, default=0.0, help="edit the sentences at or over this chance")
    parser.add_argument("--out", default="/tmp/kindreply-external-edits.txt")
    args = parser.parse_args()
    engine = Service.from_settings(Settings.from_env(), load="now", queue_size=0).engine
    kept = []
    for case in reading.cases(reading.EXTERNAL, args.cases):
        for sentence in sentences.sentences(case["text"], "en"):
            # as the pipeline asks: a kept sentence of three words or more that is not a greeting
            if classify.by_lexicon(sentence, "en").label == classify.KEEP and len(sentence.split()) >= 3 \
                    and not acknowledge.is_greeting(sentence):
                kept.append((case["id"], sentence, classify.rude_chance(engine, sentence)))
    print(f"{len(kept)} sentences kept by the phrase lists in {args.cases} external emails; the model finds rude:")
    for threshold in THRESHOLDS:
        print(f"  at {threshold}: {sum(chance >= threshold for _, _, chance in kept)}")
    if args.edits:
        with open(args.out, "w", encoding="utf-8") as out:
            for case_id, sentence, chance in kept:
                if chance >= args.edits:
                    answer = "".join(engine.generate(edit_messages(sentence), max_tokens=80, temperature=0,
                                                     deadline=time.monotonic() + 60, stats=Generation()))
                    out.write(f"{case_id} ({chance:.2f})\nIN : {sentence}\nOUT: {answer.strip()}\n\n")
        print(f"edits written to {args.out}")


if __name__ == "__main__":
    main()
