/* The genetic search of ga.py in C: activity lists decoded by the serial schedule generation
 * scheme, each child improved by forward-backward justification, with restarts.
 *
 * Same problem as engine/rcpsp/network.py: start-to-start arcs S[k] >= S[j] + delta, release
 * dates, hard latest starts (lsmax), activities that may not move (fixed, placed first at
 * their early start), renewable resources of constant capacity. A schedule that breaks a
 * latest start is kept but ranked after every one that does not, as in ga.py.
 *
 * Loaded with ctypes by native.py; built by `make` (scripts/build-native.sh). Deterministic:
 * the same arguments give the same result; the wall-clock deadline is only a safety net.
 * Bump STEERCO_GA_VERSION whenever the signature or the meaning of an argument changes: the
 * loader refuses a library built from another version.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define STEERCO_GA_VERSION 2

typedef struct {
    int n, m;
    const int *dur, *rel, *lsmax, *es, *lft;
    const int *uo, *ur, *uq;  /* uses: CSR of (resource, amount) per activity */
    const int *cap;
    const int *po, *pk, *pd;  /* predecessors: CSR of (activity, delta) */
    const int *so, *sk, *sd;  /* successors */
    const unsigned char *fixed;
    int H;
    int *prof;                /* free units, H * m */
    uint64_t rng;
    long decodes;
    /* scratch for list building and justification */
    int *heap, *indeg, *tmp, *bst, *fst;
    long *key;
} G;

typedef struct {
    int ms, late; /* makespan; 1 when some latest start is broken */
    uint64_t h;
    int *order, *st;
} Ind;

int steerco_ga_version(void) { return STEERCO_GA_VERSION; }

static inline uint64_t rnd(G *g) {
    g->rng ^= g->rng >> 12;
    g->rng ^= g->rng << 25;
    g->rng ^= g->rng >> 27;
    return g->rng * 2685821657736338717ULL;
}

static inline int below(G *g, int k) { return (int)(rnd(g) % (uint64_t)k); }

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void reset(G *g) {
    for (int t = 0; t < g->H; t++) memcpy(g->prof + (long)t * g->m, g->cap, g->m * sizeof(int));
}

/* -1 when j fits at t, else the last period in [t, t + d) that lacks room. */
static int blocked_last(G *g, int j, int t) {
    int d = g->dur[j], m = g->m;
    for (int u = t + d - 1; u >= t; u--) {
        const int *row = g->prof + (long)u * m;
        for (int e = g->uo[j]; e < g->uo[j + 1]; e++)
            if (row[g->ur[e]] < g->uq[e]) return u;
    }
    return -1;
}

/* -1 when j fits at t, else the first period in [t, t + d) that lacks room. */
static int blocked_first(G *g, int j, int t) {
    int d = g->dur[j], m = g->m;
    for (int u = t; u < t + d; u++) {
        const int *row = g->prof + (long)u * m;
        for (int e = g->uo[j]; e < g->uo[j + 1]; e++)
            if (row[g->ur[e]] < g->uq[e]) return u;
    }
    return -1;
}

static void place(G *g, int j, int t) {
    int m = g->m;
    for (int u = t; u < t + g->dur[j]; u++)
        for (int e = g->uo[j]; e < g->uo[j + 1]; e++) g->prof[(long)u * m + g->ur[e]] -= g->uq[e];
}

/* Places the fixed activities; 0, or -1 when one does not fit in the horizon. */
static int place_fixed(G *g, int *st) {
    for (int j = 0; j < g->n; j++) {
        if (!g->fixed[j]) continue;
        st[j] = g->es[j];
        if (g->es[j] < 0 || g->es[j] + g->dur[j] > g->H) return -1;
        place(g, j, g->es[j]);
    }
    return 0;
}

/* A decoding starts from a free profile with the fixed activities placed (and is counted);
 * 0, or -1 when one of them does not fit in the horizon. */
static int begin_decode(G *g, int *st) {
    reset(g);
    g->decodes++;
    return place_fixed(g, st);
}

/* Serial SGS, forward: each activity of `order` at its earliest feasible period. The
 * makespan, or -1 when the horizon is too short (the caller gave a safe one: never). */
static int forward(G *g, const int *order, int *st) {
    if (begin_decode(g, st) < 0) return -1;
    for (int i = 0; i < g->n; i++) {
        int j = order[i];
        if (g->fixed[j]) continue;
        int t = g->rel[j] > 0 ? g->rel[j] : 0;
        for (int e = g->po[j]; e < g->po[j + 1]; e++) {
            int v = st[g->pk[e]] + g->pd[e];
            if (v > t) t = v;
        }
        if (g->dur[j] > 0 && g->uo[j] < g->uo[j + 1]) {
            for (;;) {
                if (t + g->dur[j] > g->H) return -1;
                int b = blocked_last(g, j, t);
                if (b < 0) break;
                t = b + 1;
            }
            place(g, j, t);
        }
        st[j] = t;
    }
    int ms = 0;
    for (int j = 0; j < g->n; j++)
        if (st[j] + g->dur[j] > ms) ms = st[j] + g->dur[j];
    return ms;
}

/* Serial SGS, backward: each activity (successors first) at its latest period finishing by
 * `horizon`; 0, or -1 when some activity finds no room after its release. */
static int backward(G *g, const int *order, int horizon, int *st) {
    if (begin_decode(g, st) < 0) return -1;
    for (int i = 0; i < g->n; i++) {
        int j = order[i];
        if (g->fixed[j]) continue;
        int t = horizon - g->dur[j];
        if (g->lsmax[j] < t) t = g->lsmax[j];
        for (int e = g->so[j]; e < g->so[j + 1]; e++) {
            int v = st[g->sk[e]] - g->sd[e];
            if (v < t) t = v;
        }
        int lo = g->rel[j];
        if (t + g->dur[j] > g->H) t = g->H - g->dur[j];
        if (g->dur[j] > 0 && g->uo[j] < g->uo[j + 1]) {
            for (;;) {
                if (t < lo || t < 0) return -1;
                int b = blocked_first(g, j, t);
                if (b < 0) break;
                t = b - g->dur[j];
            }
            place(g, j, t);
        } else if (t < lo) {
            return -1;
        }
        st[j] = t;
    }
    return 0;
}

/* The precedence-feasible list that always takes the eligible activity with the least key
 * (with `rev`, successors first): a binary heap, O(n log n). */
static void heap_push(G *g, int *size, int j) {
    int *h = g->heap, i = (*size)++;
    while (i > 0) {
        int p = (i - 1) / 2;
        if (g->key[h[p]] <= g->key[j]) break;
        h[i] = h[p];
        i = p;
    }
    h[i] = j;
}

static int heap_pop(G *g, int *size) {
    int *h = g->heap, top = h[0], last = h[--(*size)], i = 0;
    for (;;) {
        int c = 2 * i + 1;
        if (c >= *size) break;
        if (c + 1 < *size && g->key[h[c + 1]] < g->key[h[c]]) c++;
        if (g->key[last] <= g->key[h[c]]) break;
        h[i] = h[c];
        i = c;
    }
    if (*size > 0) h[i] = last;
    return top;
}

static void list_from_keys(G *g, int rev, int *out) {
    int n = g->n, size = 0;
    const int *bo = rev ? g->so : g->po;      /* arcs that must come first */
    const int *ao = rev ? g->po : g->so, *ak = rev ? g->pk : g->sk;
    for (int j = 0; j < n; j++) {
        g->indeg[j] = bo[j + 1] - bo[j];
        if (g->indeg[j] == 0) heap_push(g, &size, j);
    }
    for (int i = 0; i < n; i++) {
        int j = heap_pop(g, &size);
        out[i] = j;
        for (int e = ao[j]; e < ao[j + 1]; e++)
            if (--g->indeg[ak[e]] == 0) heap_push(g, &size, ak[e]);
    }
}

static int is_late(G *g, const int *st) {
    for (int j = 0; j < g->n; j++)
        if (st[j] > g->lsmax[j]) return 1;
    return 0;
}

static int better(int ms, int late, int ms2, int late2) {
    return late != late2 ? late < late2 : ms < ms2;
}

/* Forward-backward improvement of `x` (decoded), then its list rewritten in start order. */
static void justify(G *g, Ind *x, int rounds) {
    int n = g->n;
    for (int r = 0; r < rounds; r++) {
        for (int j = 0; j < n; j++) g->key[j] = -((long)(x->st[j] + g->dur[j]) * n + j);
        list_from_keys(g, 1, g->tmp);
        if (backward(g, g->tmp, x->ms, g->bst) < 0) break;
        for (int j = 0; j < n; j++) g->key[j] = (long)g->bst[j] * n + j;
        list_from_keys(g, 0, g->tmp);
        int ms = forward(g, g->tmp, g->fst);
        if (ms < 0) break;
        int late = is_late(g, g->fst);
        if (!better(ms, late, x->ms, x->late)) break;
        memcpy(x->st, g->fst, n * sizeof(int));
        x->ms = ms;
        x->late = late;
    }
    for (int j = 0; j < n; j++) g->key[j] = (long)x->st[j] * n + j;
    list_from_keys(g, 0, x->order);
    uint64_t h = 1469598103934665603ULL;
    for (int j = 0; j < n; j++) {
        h ^= (uint64_t)(uint32_t)x->st[j];
        h *= 1099511628211ULL;
    }
    x->h = h;
}

/* Decode x->order and improve it; 0, or -1 when it could not be decoded. */
static int evaluate(G *g, Ind *x) {
    int ms = forward(g, x->order, x->st);
    if (ms < 0) return -1;
    x->ms = ms;
    x->late = is_late(g, x->st);
    justify(g, x, 4);
    return 0;
}

static int cmp_ind(const void *a, const void *b) {
    const Ind *x = a, *y = b;
    if (x->late != y->late) return x->late - y->late;
    if (x->ms != y->ms) return x->ms - y->ms;
    return x->h < y->h ? -1 : x->h > y->h;
}

static void crossover(G *g, const int *mo, const int *fa, int q1, int q2, int *child) {
    int n = g->n, k = 0;
    unsigned char *taken = (unsigned char *)g->indeg; /* n bytes of scratch */
    memset(taken, 0, n);
    for (int i = 0; i < q1; i++) {
        child[k++] = mo[i];
        taken[mo[i]] = 1;
    }
    for (int i = 0; i < n && k < q2; i++)
        if (!taken[fa[i]]) {
            child[k++] = fa[i];
            taken[fa[i]] = 1;
        }
    for (int i = 0; i < n; i++)
        if (!taken[mo[i]]) {
            child[k++] = mo[i];
            taken[mo[i]] = 1;
        }
}

/* Moves one random activity to a random place between its last predecessor and its first
 * successor in the list, so the list stays precedence-feasible. Swapping linked-free
 * neighbours (Hartmann's mutation) only ever moves an activity one step; on the hard j30
 * instances a shift found the optimum far more often at the same count of schedules
 * (100,000 each, 38 hard instances x 3 seeds: 83 -> 98 of 114, and 104 with `stall` 40). */
static void mutate(G *g, int *order) {
    int n = g->n, *pos = g->tmp;
    for (int i = 0; i < n; i++) pos[order[i]] = i;
    int i = below(g, n), j = order[i], lo = 0, hi = n - 1;
    for (int e = g->po[j]; e < g->po[j + 1]; e++)
        if (pos[g->pk[e]] + 1 > lo) lo = pos[g->pk[e]] + 1;
    for (int e = g->so[j]; e < g->so[j + 1]; e++)
        if (pos[g->sk[e]] - 1 < hi) hi = pos[g->sk[e]] - 1;
    if (hi <= lo) return;
    int p = lo + below(g, hi - lo + 1);
    if (p < i) memmove(order + p + 1, order + p, (size_t)(i - p) * sizeof(int));
    else if (p > i) memmove(order + i, order + i + 1, (size_t)(p - i) * sizeof(int));
    order[p] = j;
}

/* A random list biased towards early latest finishes (regret-free biased sampling). */
static void sample(G *g, int *order) {
    for (int j = 0; j < g->n; j++)
        g->key[j] = (long)g->lft[j] * 1024 + below(g, 1024 + 4096);
    list_from_keys(g, 0, order);
}

/* Copies into best_out any member of P better than the best so far (*best < 0: none yet);
 * whether one was. */
static int take_best(const Ind *P, int np, int n, int *best, int *best_late, int *best_out) {
    int found = 0;
    for (int i = 0; i < np; i++)
        if (*best < 0 || better(P[i].ms, P[i].late, *best, *best_late)) {
            *best = P[i].ms;
            *best_late = P[i].late;
            memcpy(best_out, P[i].st, sizeof(int) * n);
            found = 1;
        }
    return found;
}

/* Returns the best makespan (its starts in best_out; the caller tells from them whether a
 * latest start is broken), or -1 when nothing could be decoded (best_out is untouched). */
int steerco_ga(int n, int m, const int *dur, const int *rel, const int *lsmax, const int *es,
               const int *lft, const int *uo, const int *ur, const int *uq, const int *cap,
               const int *po, const int *pk, const int *pd, const int *so, const int *sk,
               const int *sd, const unsigned char *fixed, int horizon, int nseeds,
               const int *seeds, int pop, long budget, int bound, uint64_t seed, int stall,
               double wall_seconds, int *best_out, long *used) {
    if (n < 2 || pop < 2 || horizon < 1) return -1;
    double deadline = now_seconds() + wall_seconds;
    G g;
    memset(&g, 0, sizeof g);
    g.n = n; g.m = m; g.dur = dur; g.rel = rel; g.lsmax = lsmax; g.es = es; g.lft = lft;
    g.uo = uo; g.ur = ur; g.uq = uq; g.cap = cap; g.po = po; g.pk = pk; g.pd = pd;
    g.so = so; g.sk = sk; g.sd = sd; g.fixed = fixed; g.H = horizon;
    g.rng = seed * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL;
    if (!g.rng) g.rng = 1;
    g.prof = malloc(sizeof(int) * (size_t)horizon * (size_t)(m > 0 ? m : 1));
    g.heap = malloc(sizeof(int) * n);
    g.indeg = malloc(sizeof(int) * n);
    g.tmp = malloc(sizeof(int) * n);
    g.bst = malloc(sizeof(int) * n);
    g.fst = malloc(sizeof(int) * n);
    g.key = malloc(sizeof(long) * n);
    int slots = 2 * pop;
    Ind *P = calloc(slots, sizeof(Ind));
    int ok = g.prof && g.heap && g.indeg && g.tmp && g.bst && g.fst && g.key && P;
    for (int i = 0; ok && i < slots; i++) {
        P[i].order = malloc(sizeof(int) * n);
        P[i].st = malloc(sizeof(int) * n);
        ok = P[i].order && P[i].st;
    }
    int best = -1, best_late = 1, np = 0, since = 0;
    if (ok) {
        for (int i = 0; i < nseeds + pop && np < pop; i++) {
            Ind *x = &P[np];
            if (i < nseeds) memcpy(x->order, seeds + (long)i * n, sizeof(int) * n);
            else sample(&g, x->order);
            if (evaluate(&g, x) == 0) np++;
        }
    }
    while (ok && np >= 2) {
        if (take_best(P, np, n, &best, &best_late, best_out)) since = 0;
        if ((best_late == 0 && best <= bound) || g.decodes >= budget || now_seconds() > deadline)
            break;
        int nc = np;
        for (int c = 0; c < pop && nc < slots; c++) {
            int a = below(&g, np), b = below(&g, np - 1);
            if (b >= a) b++;
            int q1 = below(&g, n + 1), q2 = below(&g, n + 1);
            if (q1 > q2) { int t = q1; q1 = q2; q2 = t; }
            Ind *x = &P[nc];
            crossover(&g, P[a].order, P[b].order, q1, q2, x->order);
            mutate(&g, x->order);
            if (evaluate(&g, x) == 0) nc++;
        }
        /* Survivors: the best `pop` distinct schedules. */
        qsort(P, nc, sizeof(Ind), cmp_ind);
        int k = 0;
        for (int i = 0; i < nc && k < pop; i++) {
            if (k > 0 && P[i].h == P[k - 1].h && P[i].ms == P[k - 1].ms) continue;
            if (i != k) { Ind t = P[k]; P[k] = P[i]; P[i] = t; }
            k++;
        }
        np = k;
        /* A population that found nothing better for `stall` generations has converged:
         * keep its best and start the rest afresh. */
        if (stall > 0 && ++since >= stall) {
            since = 0;
            np = 1;
            for (int i = 1; i < pop; i++) {
                sample(&g, P[np].order);
                if (evaluate(&g, &P[np]) == 0) np++;
            }
        }
    }
    if (ok) take_best(P, np, n, &best, &best_late, best_out);
    *used = g.decodes;
    if (P)
        for (int i = 0; i < slots; i++) { free(P[i].order); free(P[i].st); }
    free(P); free(g.prof); free(g.heap); free(g.indeg); free(g.tmp); free(g.bst);
    free(g.fst); free(g.key);
    return ok ? best : -1;
}
