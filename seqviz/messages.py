"""What the library says to a user (a warning about their text, the reason a file is refused) as a key
with parameters, so the interface can say it in the reader's language. Each message is still a plain
English string to any other caller: a Notice is a str, a UserError a ValueError whose text is English.
seqviz/ui/text.py serves these texts to the pages alongside its own."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "msg_control_removed": {"en": "Removed {n:,} control character{s}.", "zh": "已删除 {n:,} 个控制字符。"},
    "msg_truncated": {"en": "Text truncated to {n:,} characters.", "zh": "文本已截断为 {n:,} 个字符。"},
    "msg_empty_text": {"en": "The text is empty.", "zh": "文本是空的。"},
    "msg_not_utf8": {
        "en": "The file is not valid UTF-8: undecodable bytes were replaced by \ufffd.",
        "zh": "文件不是有效的 UTF-8 编码：无法解码的字节已替换为 \ufffd。",
    },
    "msg_text_too_short": {
        "en": "the text needs at least {need} characters to train on; it has {have}",
        "zh": "训练文本至少需要 {need} 个字符；现在只有 {have} 个",
    },
    "msg_file_too_large": {"en": "the file is larger than {mb} MB", "zh": "文件超过 {mb} MB"},
    "msg_not_model_file": {
        "en": "this is not a seqviz model file (expected a .zip saved by this page)",
        "zh": "这不是 seqviz 模型文件（应为本页面保存的 .zip 文件）",
    },
    "msg_model_file_parts": {
        "en": "a seqviz model file holds exactly {files}",
        "zh": "seqviz 模型文件应恰好包含 {files}",
    },
    "msg_unpacks_too_large": {
        "en": "the model file unpacks to more than allowed",
        "zh": "模型文件解压后超过允许的大小",
    },
    "msg_model_unloadable": {"en": "the model file could not be loaded: {error}", "zh": "无法加载模型文件：{error}"},
    "msg_other_page_model": {
        "en": "this model was saved by another page (its vocabulary is {kind!r}, not {expected!r})",
        "zh": "这个模型是由其他页面保存的（它的词表类型是 {kind!r}，而不是 {expected!r}）",
    },
    "msg_not_char_kind": {
        "en": "this page loads its own {kinds} models, not {kind!r}",
        "zh": "本页面只加载它自己的 {kinds} 模型，而不是 {kind!r}",
    },
}


def english(key: str, params: dict) -> str:
    return MESSAGES[key]["en"].format(**params)


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
