"""Swedish texts of the engine's translatable messages, keyed by their English template.

Every ``tr("...")`` template in the package has an entry here; a test checks it.
"""

from __future__ import annotations

CATALOGUE: dict[str, str] = {
}
