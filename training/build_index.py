"""Build (or refresh) the search index: ``python -m training.build_index``.

The index is also built automatically the first time the classifier loads; this command does it ahead
of time and says what it built. A stale index (corpus, documents or model changed) is rebuilt; ``--force``
rebuilds it whatever is saved, which is how a damaged index (refused at load) is replaced.
"""

from __future__ import annotations

import argparse
import json
import sys

from classifier.engine import Classifier


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.build_index", description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rebuild even when the saved index looks current")
    args = parser.parse_args(argv)
    clf = Classifier.unranked(rebuild_index=args.force)
    for name, index in (("paragraphs", clf.index.dense), ("headings", clf.index.headings)):
        meta = {k: index.metadata[k] for k in ("model_name", "count", "dimension", "index_type", "built_at")}
        print(name, json.dumps(meta))
    return 0


if __name__ == "__main__":
    sys.exit(main())
