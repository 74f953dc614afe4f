"""Chinese names written in characters: 王建国, 李梅, 张经理's 张.

Chinese has no spaces, so a name is found by its frame: a common surname right after a role
or relation cue (老板王建国, 主管叫林小红) or right before a title (周明师傅, 张伟经理), with
one or two given-name characters that are not everyday grammar words (的, 了, 说 ...).
Co-reference then redacts every other occurrence of the same name in the text.
"""

from __future__ import annotations

import re

from organize.redaction.spans import Span

# The most common single-character surnames (simplified and traditional forms), which
# together cover the large majority of people of Chinese origin.
SURNAMES = (
    "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何高林罗羅郑鄭梁谢謝宋唐许許韩韓冯馮"
    "邓鄧曹彭曾肖萧蕭田董袁潘于蒋蔣蔡余杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚陆陸汪范金石"
    "廖贾賈夏韦韋付方白邹鄒孟熊秦邱江尹薛闫閻段雷侯龙龍史陶黎贺賀顾顧毛郝龚龔邵万萬钱錢严嚴"
    "覃武戴莫孔向汤湯伍欧歐甘翁温溫庄莊关關"
)
# Words before a name: roles, relations and "is called".
_CUES = (
    "老板娘|老闆娘|老板|老闆|经理|經理|主管|领班|領班|工头|工頭|中介|同事|师傅|師傅|组长|組長"
    "|店长|店長|厨师长|廚師長|负责人|負責人|房东|房東|叫做|名叫|叫|找|联系|聯繫|问|問|告诉|告訴"
)
# Titles after a name: 张经理, 周明师傅, 李小姐.
_TITLES = (
    "经理|經理|老板|老闆|师傅|師傅|主管|先生|小姐|女士|太太|阿姨|大哥|大姐|姐姐|哥|姐|总|總"
    "|老师|老師|医生|醫生"
)
# Characters that end a given name: grammar words and frequent verbs that follow a name.
_STOP = (
    "的了说說是在和与與跟对對被把让讓给給也都还還就不没沒很从從每每拿收扣要会會叫说"
    "打让对这這那个個们們我你他她它，。、！？：；（）「」“”《》 \n"
)
_GIVEN = rf"[^\W\d_{_STOP}]"
_AFTER_CUE = re.compile(rf"(?:{_CUES})([{SURNAMES}]{_GIVEN}{{1,2}})")
_BEFORE_TITLE = re.compile(rf"(?<![{SURNAMES}])([{SURNAMES}]{_GIVEN}{{0,2}}?)(?:{_TITLES})")
_CJK = re.compile(r"[\u3400-\u9fff]")


def _chinese(name: str) -> bool:
    return all("\u3400" <= ch <= "\u9fff" for ch in name)


def find_chinese_names(text: str) -> list[Span]:
    """Spans of names in Chinese characters, and of every repeat of them."""
    if not _CJK.search(text):
        return []
    names: set[str] = set()
    for pattern in (_AFTER_CUE, _BEFORE_TITLE):
        for match in pattern.finditer(text):
            name = match.group(1)
            if _chinese(name) and (len(name) > 1 or pattern is _BEFORE_TITLE):
                names.add(name)
    spans = []
    for name in sorted(names, key=len, reverse=True):
        spans += [Span(m.start(), m.end(), "person") for m in re.finditer(re.escape(name), text)]
    return spans
