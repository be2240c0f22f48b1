"""disputes's vocabularies: every code a client may send or see, with its Chinese and English
label, and the limits its inputs keep. The schemas validate against these codes; the
gateway serves them (``GET /api/v1/disputes/vocabularies``) so pages show the labels
without keeping copies."""
from fazhi_shared.http import Term, Vocabulary

# What a note records. Its visibility follows from the kind (disputes.domain.notes).
NOTE_KINDS = Vocabulary(
    Term("visit", "走访记录", "visit record"),
    Term("reminder", "工作提醒", "reminder"),
    Term("notice", "公告", "notice"))

VOCABULARIES = {"note_kinds": NOTE_KINDS}

# -- limits ---------------------------------------------------------------------------------
MAX_NOTE_TEXT = 2000                # characters of one note
