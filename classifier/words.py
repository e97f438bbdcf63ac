"""Words as the retrievers and the condition check compare them: a light stem and the stopwords."""

from __future__ import annotations

STOPWORDS = frozenset(
    "a an and are as at be by for from has have in is it its of on or that the their this to was were will with "
    "which any all following other than not such these those being been into per each".split()
)


def stem(token: str) -> str:
    """A light plural/suffix fold; enough to meet 'switches' with 'switch' and 'controllers' with 'controller'."""
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ches", "ch"), ("shes", "sh"), ("xes", "x")):
        if token.endswith(suffix) and len(token) > len(suffix) + 2:
            return token[: -len(suffix)] + repl
    if token.endswith("s") and not token.endswith("ss") and len(token) > 3 and not token[-2].isdigit():
        return token[:-1]
    return token
