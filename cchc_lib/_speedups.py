"""Start-up speed: keep a slow optional import out of every cchc process.

``jsonschema`` (pulled in by ``nbformat``) imports ``rfc3987_syntax`` when it is
installed, only to check the rarely used "iri" string format; building that
package's grammar takes 1.5–3 s of CPU at import. nbformat never validates that
format, so cchc marks the module as unavailable before anything imports it:
``jsonschema`` treats it as not installed. Call :func:`apply` before importing
nbformat; it does nothing if the module is already imported.
"""

from __future__ import annotations

import sys

SKIPPED = ("rfc3987_syntax",)


def apply() -> None:
    for name in SKIPPED:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]
