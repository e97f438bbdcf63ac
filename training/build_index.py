"""Build (or refresh) the search index: ``python -m training.build_index``.

The index is also built automatically the first time the classifier loads; this command does it ahead
of time and says what it built. A stale index (corpus, documents or model changed) is rebuilt.
"""

from __future__ import annotations

import json
import sys

from classifier.engine import Classifier


def main() -> int:
    clf = Classifier.unranked()
    for name, index in (("paragraphs", clf.index.dense), ("headings", clf.index.headings)):
        meta = {k: index.metadata[k] for k in ("model_name", "count", "dimension", "index_type", "built_at")}
        print(name, json.dumps(meta))
    return 0


if __name__ == "__main__":
    sys.exit(main())
