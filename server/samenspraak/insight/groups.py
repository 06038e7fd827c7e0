"""Polis-style opinion groups over agree/disagree/pass votes on statements.

One pure function, `opinion_groups`: vote matrix -> PCA (2 components) -> participation
scaling -> k-means (k by silhouette) -> representative statements per group, group-aware
consensus ("bridging") and anonymous 2-D points for the projector map.

Deterministic: participants and statements are put in a fixed order before anything is
computed, k-means has a fixed seed and every tie is broken by an id or an index, so the same
votes in any arrival order give identical output. Figures are rounded so they encode stably.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import msgspec
import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from threadpoolctl import ThreadpoolController

VOTE_VALUE = {"agree": 1.0, "disagree": -1.0, "pass": 0.0}
K_RANGE = range(2, 6)  # numbers of groups tried
Z_90 = 1.645  # one-sided 95 % (Polis calls it z-sig-90)
MAX_STATEMENTS_PER_GROUP = 5
SILHOUETTE_SAMPLE = 1000  # above this many points the silhouette is estimated on a sample
# OpenMP threads for k-means. On 2-D points a second thread gains nothing, and on a busy 2-core
# server the threads wait for each other at every iteration: 0.1 s became 1-4 s (bench/groups.py).
KMEANS_THREADS = 1
TOO_FEW = "too_few_participants"
NO_VARIANCE = "no_variance"

Matrix = Any  # numpy arrays; kept loose so the helpers read as plain maths


class GroupStatement(msgspec.Struct):
    statement_id: str
    direction: str  # "agree" | "disagree"
    share_in_group: float
    share_elsewhere: float
    z: float


class Group(msgspec.Struct):
    id: int
    size: int
    statements: list[GroupStatement]


class Bridging(msgspec.Struct):
    statement_id: str
    score: float
    agree_share: float


class Point(msgspec.Struct, array_like=True):
    x: float
    y: float
    group: int  # -1 when there are no groups


class Opinions(msgspec.Struct):
    participants: int  # taken into account (>= min_votes votes)
    groups: list[Group]  # [] when no grouping qualifies
    bridging: list[Bridging]  # all statements with >= 1 vote, best first
    points: list[Point]
    membership: dict[str, int]  # participant id -> group id; server-side only
    reason: str | None = None  # TOO_FEW or NO_VARIANCE when groups == []


def opinion_groups(
    votes: Mapping[str, Mapping[str, str]],
    statement_ids: Sequence[str],
    min_group: int,
    min_votes: int = 3,
) -> Opinions:
    """votes: participant id -> {statement id -> "agree"|"disagree"|"pass"}.

    Statements not in statement_ids (and unknown vote values) are ignored."""
    people, statements, full = _vote_matrix(votes, statement_ids)
    counted = (~np.isnan(full)).sum(axis=1) >= max(min_votes, 1)
    ids = [p for p, keep in zip(people, counted, strict=True) if keep]
    matrix = full[counted]
    points = _scale(_pca(_impute(matrix)), matrix)
    labels, reason = _cluster(points, min_group)
    groups = int(labels.max()) + 1 if labels.size else 0
    return Opinions(
        participants=len(ids),
        groups=[
            Group(
                id=g,
                size=int((labels == g).sum()),
                statements=_repness(matrix, labels, g, statements),
            )
            for g in range(groups)
        ],
        bridging=_bridging(full, matrix, labels, statements),
        points=_points(points, labels),
        membership={p: int(g) for p, g in zip(ids, labels, strict=True) if g >= 0},
        reason=reason,
    )


def _id_order(pid: str) -> tuple[int, int, str]:
    """Participant order: numeric ids numerically (the server's ids), then others by string."""
    if pid.isascii() and pid.isdigit():
        return (0, int(pid), pid)
    return (1, 0, pid)


def _vote_matrix(
    votes: Mapping[str, Mapping[str, str]], statement_ids: Sequence[str]
) -> tuple[list[str], list[str], Matrix]:
    """Polis step 1: the vote matrix (+1/-1/0, NaN missing), rows and columns in id order.

    Rows are participants with at least one valid vote, columns statements with at least one."""
    column = {s: j for j, s in enumerate(sorted(set(statement_ids)))}
    width = len(column)
    rows: list[str] = []
    flat: list[int] = []  # row * width + column of each valid vote
    values: list[float] = []
    for pid in sorted(votes, key=_id_order):
        before = len(flat)
        for s, v in votes[pid].items():
            j, value = column.get(s), VOTE_VALUE.get(v)
            if j is not None and value is not None:
                flat.append(len(rows) * width + j)
                values.append(value)
        if len(flat) > before:
            rows.append(pid)
    cells = np.full(len(rows) * width, np.nan)
    cells[flat] = values
    full = cells.reshape(len(rows), width)
    voted = (~np.isnan(full)).any(axis=0)
    statements = [s for s, keep in zip(column, voted, strict=True) if keep]
    return rows, statements, full[:, voted]


def _impute(matrix: Matrix) -> Matrix:
    """Polis step 2: a missing vote becomes the statement's mean vote (0 when nobody voted)."""
    seen = ~np.isnan(matrix)
    counts = seen.sum(axis=0)
    sums = np.where(seen, matrix, 0.0).sum(axis=0)
    means = np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)
    return np.where(seen, matrix, means)


def _pca(filled: Matrix) -> Matrix:
    """Polis step 3: projection on the first two principal components, signs made canonical."""
    n = filled.shape[0]
    out = np.zeros((n, 2))
    if n < 2 or filled.shape[1] == 0:
        return out
    centred = filled - filled.mean(axis=0)
    _, singular, vt = np.linalg.svd(centred, full_matrices=False)
    for c in range(min(2, vt.shape[0])):
        if singular[c] <= 1e-9 * max(1.0, singular[0]):
            break
        loading = vt[c]
        if loading[int(np.argmax(np.abs(loading)))] < 0:
            loading = -loading
        out[:, c] = centred @ loading
    return out


def _scale(projected: Matrix, matrix: Matrix) -> Matrix:
    """Polis step 4: stretch people who voted on few statements by sqrt(statements / voted)."""
    if projected.shape[0] == 0:
        return projected
    voted = (~np.isnan(matrix)).sum(axis=1)
    return projected * np.sqrt(matrix.shape[1] / np.maximum(voted, 1))[:, None]


def _cluster(points: Matrix, min_group: int) -> tuple[Matrix, str | None]:
    """Polis step 5: k-means for k = 2..5, the best silhouette among k whose groups are all large
    enough; labels renumbered by size. Labels are -1 (with a reason) when no k qualifies."""
    n = points.shape[0]
    none = np.full(n, -1, dtype=np.int64)
    if n < max(2 * min_group, 3):
        return none, TOO_FEW
    distinct = len(np.unique(points.round(9), axis=0))
    if distinct < 2:
        return none, NO_VARIANCE
    best: tuple[float, Matrix] | None = None
    for k in K_RANGE:
        if k >= n or k > distinct or k * min_group > n:
            break
        labels = _kmeans(points, k)
        sizes = np.bincount(labels, minlength=k)
        if sizes.min() < max(min_group, 1):
            continue
        score = _silhouette(points, labels)
        if best is None or score > best[0]:
            best = (score, labels)
    if best is None:
        return none, TOO_FEW
    return _renumber(best[1]), None


@functools.cache
def _threadpools() -> Any:
    """The native thread pools loaded in this process (looked up once)."""
    return ThreadpoolController()


def _kmeans(points: Matrix, k: int) -> Matrix:
    """Polis step 5a: k-means labels, fixed seed, OpenMP limited to this thread's KMEANS_THREADS."""
    with _threadpools().limit(limits=KMEANS_THREADS, user_api="openmp"):
        return KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(points)


def _silhouette(points: Matrix, labels: Matrix) -> float:
    """Polis step 5b: the silhouette of a clustering (on a fixed sample for many points)."""
    if points.shape[0] > SILHOUETTE_SAMPLE:
        return float(
            silhouette_score(points, labels, sample_size=SILHOUETTE_SAMPLE, random_state=0)
        )
    return float(silhouette_score(points, labels))


def _renumber(labels: Matrix) -> Matrix:
    """Polis step 6: groups numbered by size, largest first; ties by their first member's row."""
    k = int(labels.max()) + 1
    sizes = np.bincount(labels, minlength=k)
    first = [int(np.argmax(labels == c)) for c in range(k)]
    order = sorted(range(k), key=lambda c: (-int(sizes[c]), first[c]))
    new = np.empty(k, dtype=np.int64)
    new[order] = np.arange(k)
    return new[labels]


def _share_z(
    agree_in: Matrix, n_in: Matrix, agree_out: Matrix, n_out: Matrix
) -> tuple[Matrix, ...]:
    """Polis step 7a: pseudo-counted shares in and out, and their two-proportion z."""
    p_in = (agree_in + 1) / (n_in + 2)
    p_out = (agree_out + 1) / (n_out + 2)
    pooled = (agree_in + agree_out + 2) / (n_in + n_out + 4)
    se = np.sqrt(pooled * (1 - pooled) * (1 / (n_in + 2) + 1 / (n_out + 2)))
    return p_in, p_out, (p_in - p_out) / se


def _repness(
    matrix: Matrix, labels: Matrix, group: int, statements: list[str]
) -> list[GroupStatement]:
    """Polis step 7: the statements that set a group apart (z >= 1.645), strongest first."""
    inside = labels == group
    seen = ~np.isnan(matrix)
    n_in, n_out = seen[inside].sum(axis=0), seen[~inside].sum(axis=0)
    found: list[GroupStatement] = []
    for direction, value in (("agree", 1.0), ("disagree", -1.0)):
        hit = matrix == value
        p_in, p_out, z = _share_z(hit[inside].sum(axis=0), n_in, hit[~inside].sum(axis=0), n_out)
        found.extend(
            GroupStatement(
                statement_id=statements[j],
                direction=direction,
                share_in_group=_r4(p_in[j]),
                share_elsewhere=_r4(p_out[j]),
                z=_r3(z[j]),
            )
            for j in np.flatnonzero(z >= Z_90)
        )
    strongest: dict[str, GroupStatement] = {}
    for st in sorted(found, key=lambda s: (-s.z, s.statement_id, s.direction)):
        strongest.setdefault(st.statement_id, st)  # one direction per statement: the stronger
    return list(strongest.values())[:MAX_STATEMENTS_PER_GROUP]


def _bridging(
    full: Matrix, matrix: Matrix, labels: Matrix, statements: list[str]
) -> list[Bridging]:
    """Polis step 8: group-aware consensus, the product over groups of (agree + 1) / (votes + 2).

    Without groups every voter (also those under min_votes) is one group."""
    if statements == [] or labels.size == 0 or labels.max() < 0:
        parts = [full]
    else:
        parts = [matrix[labels == g] for g in range(int(labels.max()) + 1)]
    score = np.ones(len(statements))
    for part in parts:
        score *= ((part == 1.0).sum(axis=0) + 1) / ((~np.isnan(part)).sum(axis=0) + 2)
    agree_share = (full == 1.0).sum(axis=0) / np.maximum((~np.isnan(full)).sum(axis=0), 1)
    rows = [
        Bridging(statement_id=s, score=_r4(score[j]), agree_share=_r4(agree_share[j]))
        for j, s in enumerate(statements)
    ]
    return sorted(rows, key=lambda b: (-b.score, b.statement_id))


def _points(points: Matrix, labels: Matrix) -> list[Point]:
    """Polis step 9: positions scaled into [-1, 1] (one factor for both axes), 3 decimals."""
    top = float(np.abs(points).max()) if points.size else 0.0
    scaled = points / top if top > 0 else points
    return [
        Point(x=_r3(x), y=_r3(y), group=int(g))
        for (x, y), g in zip(scaled.tolist(), labels.tolist(), strict=True)
    ]


def _r3(x: float) -> float:
    return round(float(x), 3) + 0.0  # + 0.0 turns -0.0 into 0.0


def _r4(x: float) -> float:
    return round(float(x), 4) + 0.0
