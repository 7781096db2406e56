"""책의 그림 양식 (adamlearn.plotting): 한글 글꼴과 휴대폰에서 읽히는 글자 크기."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.font_manager as fm
import matplotlib.pyplot as plt

from adamlearn.plotting import BOOK_RC, use_book_style

# 본문 폭 약 720 px 에 6.4 인치(= 640 px @100 dpi) 그림이 들어가고, 390 px 휴대폰에서는 약 0.55 배로 줄어든다.
# 그때 9 pt 글자가 약 5 pt 로 보이는 것이 읽을 수 있는 하한이다 (이슈 8: 범례는 9 pt 이상).
MIN_PT = 9


def test_book_style_text_is_readable_on_a_phone():
    sizes = {k: v for k, v in BOOK_RC.items() if k.endswith("size") and not k.startswith("figure")}
    assert sizes and all(v >= MIN_PT for v in sizes.values()), sizes


def test_book_style_renders_hangul_with_the_bundled_font(tmp_path):
    use_book_style()
    fig, ax = plt.subplots()
    ax.set_title("한글 제목: 학습률")
    path = fm.findfont(fm.FontProperties(family=matplotlib.rcParams["font.family"]), fallback_to_default=False)
    assert "Nanum" in path
    assert fm.get_font(path).get_char_index(ord("학")) != 0  # 글꼴에 '학' 글리프가 있다
    fig.savefig(tmp_path / "f.png")
    plt.close(fig)
    assert matplotlib.rcParams["legend.fontsize"] >= MIN_PT
    assert matplotlib.rcParams["axes.unicode_minus"] is False
