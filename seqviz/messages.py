"""What the library says to a user (a warning about their text, the reason a file is refused) as a key
with parameters, so the interface can say it in the reader's language. Each message is still a plain
English string to any other caller: a Notice is a str, a UserError a ValueError whose text is English.
Their texts are the catalogue entries named msg_* (seqviz/locales/)."""

from __future__ import annotations

from .i18n import SOURCE_LANGUAGE, tr


def english(key: str, params: dict) -> str:
    return tr(SOURCE_LANGUAGE, key, **params)


class Notice(str):
    """A warning for the user: its English text, with .key and .params to say it in another language."""

    key: str
    params: dict

    def __new__(cls, key: str, **params) -> Notice:
        notice = super().__new__(cls, english(key, params))
        notice.key, notice.params = key, params
        return notice

    def __reduce__(self):  # cached results are pickled: rebuild from the key, not from the English text
        return _notice, (self.key, self.params)


def _notice(key: str, params: dict) -> Notice:
    return Notice(key, **params)


class UserError(ValueError):
    """Input refused for a reason the user can act on; str() is English, .key and .params translate it."""

    def __init__(self, key: str, **params):
        super().__init__(english(key, params))
        self.key, self.params = key, params
