"""옵티마이저 상태를 pickle 없이 ``.npz`` 파일 하나에 저장하고 읽는다.

>>> import numpy as np, adamlearn, tempfile, os
>>> x = np.zeros(3, dtype=np.float32); opt = adamlearn.Adam([x], lr=0.1)
>>> opt.step([np.ones(3, dtype=np.float32)])
>>> path = os.path.join(tempfile.mkdtemp(), "adam.npz")
>>> adamlearn.save_state(opt, path)
>>> sorted(np.load(path, allow_pickle=False).files)
['adamlearn', 'state.0.m', 'state.0.s']
>>> opt2 = adamlearn.Adam([x.copy()]); adamlearn.load_state(opt2, path); opt2.t
1

파일 안: 상태 배열은 ``state.{i}.{필드}`` 항목에 그대로(dtype 포함) 들어가고, 나머지(옵티마이저 이름, 프레임워크,
하이퍼파라미터, 스텝 수, NAdam 의 모멘텀 곱, None 인 필드)는 JSON 으로 0차원 문자열 배열 ``adamlearn`` 에 들어간다.
파이썬 float 는 JSON 에서 비트 단위로 되살아나므로, 불러와 이어 돌린 학습은 멈추지 않은 학습과 비트 단위로 같다.
파라미터 자체는 저장하지 않는다 (torch 의 ``optimizer.state_dict()`` 처럼 모델과 따로 저장한다).

판: 그룹이 하나인 옵티마이저의 파일은 예전(판 1)과 똑같이 ``"hyper"`` 를 쓴다. 그룹이 여럿이거나 스케줄러의
``initial_lr`` 가 있으면 ``"hyper"`` 대신 ``"param_groups"`` 를 쓰고 판 2 로 적는다 (판 1 만 읽는 예전
adamlearn 은 그 파일을 판 번호로 거절한다). 읽을 때는 판 1 과 판 2 를 모두 받는다.
"""

from __future__ import annotations

import json
import os

import numpy as np

__all__ = ["load_state", "save_state"]

FORMAT = "adamlearn optimizer state"
VERSION = 2  # 이 모듈이 읽는 가장 높은 판
VERSIONS = (1, 2)  # 판 1: "hyper" 만. 판 2: "hyper" 나 "param_groups"
META = "adamlearn"  # JSON 이 든 항목의 이름


def save_state(opt, path) -> None:
    """``opt.state_dict()`` 를 ``path`` 에 ``.npz`` 하나로 쓴다 (이름에 ``.npz`` 를 덧붙이지 않는다).

    ``np.load(path, allow_pickle=False)`` 로 열린다. ``path`` 는 경로나 쓰기용 바이너리 파일 객체다.
    """
    opt._validate_groups()  # 학습 도중 opt.hyper, param_groups 에 넣은 잘못된 값은 파일에 쓰기 전에 거절한다
    sd = opt.state_dict()
    arrays, entries = {}, []
    for i, fields in enumerate(sd["state"]):
        entry = {}
        for name, value in fields.items():
            if isinstance(value, (np.ndarray, np.generic)):  # 0차원 파라미터의 상태는 numpy 스칼라다
                arrays[f"state.{i}.{name}"] = np.asarray(value)
            else:  # 스텝 수 (int), 모멘텀 곱 (float), 아직 없는 버퍼 (None -> null)
                entry[name] = value
        entries.append(entry)
    version = 1 if "hyper" in sd else 2  # 판 1 로 쓸 수 있는 파일은 판 1 로: 예전 adamlearn 도 읽는다
    meta = {"format": FORMAT, "version": version, **sd, "state": entries}
    text = np.array(json.dumps(meta, allow_nan=False))
    if isinstance(path, (str, os.PathLike)):
        with open(path, "wb") as f:
            np.savez(f, **{META: text}, **arrays)
    else:
        np.savez(path, **{META: text}, **arrays)


def load_state(opt, path) -> None:
    """``save_state`` 가 쓴 파일을 ``opt`` 에 읽어 들인다. 검사는 ``opt.load_state_dict`` 와 같다.

    우리 파일이 아니거나, 다른 옵티마이저의 파일이거나, 내용이 잘못되었으면 아무것도 바꾸지 않고
    ValueError (타입이 틀리면 TypeError) 를 낸다.
    """
    try:
        sd = _read(path)
        opt.load_state_dict(sd)
    except (TypeError, ValueError) as err:
        raise type(err)(f"{os.fspath(path) if isinstance(path, (str, os.PathLike)) else path}: {err}") from None


def _read(path) -> dict:
    try:
        npz = np.load(path, allow_pickle=False)
    except (ValueError, EOFError) as err:  # 없는 파일의 OSError 는 그대로 둔다
        raise ValueError(f"not an adamlearn state file (np.load failed: {err})") from None
    if not isinstance(npz, np.lib.npyio.NpzFile):
        raise ValueError("not an adamlearn state file (a single .npy array, not an .npz archive)")
    with npz:
        if META not in npz.files:
            raise ValueError(f"not an adamlearn state file (no {META!r} entry; entries: {sorted(npz.files)[:5]})")
        text = npz[META]
        meta = json.loads(str(text[()])) if text.dtype.kind == "U" and text.shape == () else None
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            raise ValueError(f"not an adamlearn state file ({META!r} does not describe one)")
        version = meta.get("version")
        if isinstance(version, bool) or version not in VERSIONS:
            raise ValueError(f"unsupported adamlearn state file version {version!r}; expected 1 or 2")
        if version == 1 and "param_groups" in meta:
            raise ValueError("malformed adamlearn state file: version 1 has no 'param_groups'")
        entries = meta.get("state")
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise ValueError("malformed adamlearn state file: 'state' must be a list of dicts")
        for key in npz.files:
            if key == META:
                continue
            prefix, _, rest = key.partition(".")
            i, _, name = rest.partition(".")
            if prefix != "state" or not i.isdigit() or int(i) >= len(entries) or name in entries[int(i)]:
                raise ValueError(f"malformed adamlearn state file: unexpected entry {key!r}")
            entries[int(i)][name] = npz[key]
    sd = {k: v for k, v in meta.items() if k not in ("format", "version")}
    if isinstance(sd.get("hyper"), dict):  # JSON 은 튜플을 리스트로 쓴다 (betas)
        sd["hyper"] = _tuples(sd["hyper"])
    if isinstance(sd.get("param_groups"), list):
        sd["param_groups"] = [_tuples(g, keep="params") if isinstance(g, dict) else g for g in sd["param_groups"]]
    return sd


def _tuples(hyper, keep=None) -> dict:
    """JSON 의 리스트를 튜플로 되돌린다 (``betas``). ``keep`` 키(그룹의 파라미터 번호)는 리스트로 둔다."""
    return {k: tuple(v) if isinstance(v, list) and k != keep else v for k, v in hyper.items()}
