"""Keep every target list true as the registry changes: refresh after each applied import."""

from __future__ import annotations

from jemput.residents.events import ImportApplied, on_import_applied
from jemput.targets.service import refresh_lists_in


@on_import_applied
def refresh_after_import(event: ImportApplied) -> None:
    """Refresh the lists of the desas an import covered, in the import's transaction."""
    refresh_lists_in(session=event.session, desa_codes=event.desa_codes, on=event.data_date,
                     actor_name=f"impor #{event.run_id}")
