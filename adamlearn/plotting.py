"""책 전체가 같이 쓰는 그림 양식: 한글 글꼴, 휴대폰에서도 읽히는 글자 크기, 선명한 출력.

장마다 그림 설정을 따로 두지 않는다. 그림을 그리는 장은 첫 셀에서 :func:`use_book_style` 을 한 번 부른다.

- 한글: ``koreanize_matplotlib`` 이 싣고 오는 NanumGothic (웹에서 아무것도 받지 않는다).
- 크기: 기본 그림 폭 6.4 인치. 본문 폭(약 720 px)에 맞춰 줄어들 때와 390 px 휴대폰에서도 범례가 9 pt 밑으로
  내려가지 않게 글자 크기를 정했다. 두 패널을 나란히 두는 대신 위아래로 쌓는 것을 권한다.
- 선명도: 노트북 출력은 2배 해상도 PNG (``retina``) 이다. HiDPI 화면에서도 흐리지 않다. 노트북에서는 inline
  백엔드를 켠다 (``MPLBACKEND=Agg`` 가 있어도 그림이 출력으로 남는다).
- 배경: 흰 바탕을 고정한다. 어두운 모드에서도 그림은 흰 카드로 보이고 검은 글자가 그대로 읽힌다.

matplotlib 은 이 함수를 부를 때 가져온다 (``import adamlearn`` 은 여전히 numpy 만 가져온다).
"""

from __future__ import annotations

#: 책의 rcParams. 글자 크기는 pt 단위, 그림 폭 6.4 인치 기준.
BOOK_RC = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.framealpha": 0.9,
    "lines.linewidth": 1.8,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.unicode_minus": False,  # NanumGothic 에는 유니코드 빼기 기호가 없다
    "figure.constrained_layout.use": True,
}


def use_book_style() -> None:
    """책의 그림 양식을 켠다: 한글 글꼴, :data:`BOOK_RC`, 노트북에서는 2배 해상도 PNG."""
    import koreanize_matplotlib  # noqa: F401  (NanumGothic 을 등록하고 font.family 로 정한다)
    import matplotlib as mpl

    mpl.rcParams.update(BOOK_RC)
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # pragma: no cover - IPython 없이 스크립트로 쓸 때
        return
    shell = get_ipython()
    if shell is not None and getattr(shell, "kernel", None) is not None:  # Jupyter 커널 (터미널 IPython 이 아니다)
        # MPLBACKEND=Agg 같은 환경 변수가 있어도 그림이 노트북 출력으로 남도록 inline 백엔드를 쓴다.
        shell.run_line_magic("matplotlib", "inline")
        set_matplotlib_formats("retina")
