"""Hypothesis strategies for odd text: what normalization and segmentation must survive."""

from __future__ import annotations

from hostile import ARABIC_MARKS, BIDI_CONTROLS, ZERO_WIDTH
from hypothesis import strategies as st

LETTERS = "ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإؤئىةٱپچژگکیۀە" + "abcXYZéß"
DIGITS = "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬٪"
PUNCTUATION = ".!?;:,،؛؟۔«»\"'()[]/-–—"
SPACES = " \n\r\t\f\v\u00a0\u2028\u2029\u0085\u3000\u202f"
# Combining marks with no base letter to sit on, Latin and symbol marks included.
LONE_MARKS = "\u0300\u0301\u0308\u0327\u0345\u20dd\u20e3\ufe0f\u1ab0"
# Ligatures and presentation forms, including ones whose NFKC form is a whole phrase (ﷺ).
PRESENTATION = "ﻻﻷﻹﻵﷲﷺﷻﷰﱞﹰﹱﹲﹴﹶﹸﺍﺑﺒﺓﻯﻰﭐﭑﮪﯼ"

ODD_CHARS = (
    LETTERS
    + DIGITS
    + PUNCTUATION
    + SPACES
    + ARABIC_MARKS
    + BIDI_CONTROLS
    + ZERO_WIDTH
    + LONE_MARKS
    + PRESENTATION
)

odd_char = st.one_of(
    st.sampled_from(ODD_CHARS),
    st.characters(codec="utf-8"),  # anything a str can hold except lone surrogates
)
odd_text = st.text(alphabet=odd_char, max_size=60)

# Report-shaped text for the recognizers: numbers and date shapes (valid or not) among the words
# that trigger date and number rules, so a rule sees impossible values such as «31/0» or «99/99».
number_shape = st.from_regex(r"\A[0-9٠-٩]{1,6}([/.,:\-٫][0-9٠-٩]{0,6}){0,3}\Z", fullmatch=True)
TRIGGER_WORDS = [
    "يوم",
    "في",
    "و",
    "قتل",
    "جرح",
    "أمس",
    "الماضي",
    "المقبل",
    "شباط",
    "فبراير",
    "آذار/مارس",
    "أيلول/سبتمبر",
    "سنة",
    "عام",
    "هـ",
    "م",
    "ألف",
    "آلاف",
    "مئة",
    "مليون",
    "نحو",
    "أكثر من",
    "بين",
    "إلى",
    "حتى",
    "منذ",
    "الأحد",
    "رمضان",
    "محرم",
    "أواخر",
    "مطلع",
    "منتصف",
    "قرابة",
    "عشرات",
    "نصف",
    "ثلاثة",
    "عشرين",
    "ال",
    "ب",
    "ل",
    "%",
    "-",
    "/",
    "on",
    "May",
    "killed",
    "1998",
]
report_like = st.lists(
    st.one_of(number_shape, st.sampled_from(TRIGGER_WORDS), odd_char), max_size=30
).map(" ".join)
