"""Write accounts/data/common-passwords-nl.txt.gz: the 30,000 most frequent Dutch words.

A one-off generator, not a runtime dependency: `pip install wordfreq` in a scratch venv, then
`python scripts/make_dutch_password_list.py`. wordfreq (MIT, data CC-BY-SA 4.0) ranks words by
how often they appear in Dutch subtitles, Wikipedia, news and web text; people pick passwords from
the same words. Words shorter than four letters are left out: on their own they never reach the
12-character minimum, and the validator strips digits and symbols before looking a word up.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import wordfreq  # type: ignore[import-not-found]

TARGET = (
    Path(__file__).resolve().parent.parent / "accounts/data/common-passwords-nl.txt.gz"
)
SIZE = 30_000


def main() -> None:
    words: list[str] = []
    for word in wordfreq.top_n_list("nl", 200_000):
        if len(word) >= 4 and word.isalpha():
            words.append(word.casefold())
        if len(words) == SIZE:
            break
    with gzip.open(TARGET, "wt", encoding="utf-8", compresslevel=9) as out:
        out.write("\n".join(sorted(set(words))) + "\n")
    print(f"{TARGET}: {len(set(words))} words")


if __name__ == "__main__":
    main()
