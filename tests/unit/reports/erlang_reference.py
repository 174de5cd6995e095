"""Reference values for staffing_test.cpp, computed independently of src/reports/staffing.cpp.

Erlang C: the textbook sum over states. Erlang A (M/M/n+M): the stationary distribution of the
birth-death chain truncated far out, and for each queue length the waiting caller's own chain
(advance at n*mu + i*theta with i callers ahead, hang up at theta) solved by uniformization --
no incomplete-beta identity as in staffing.cpp. `simulate` checks both by Monte Carlo.

    python3 tests/unit/reports/erlang_reference.py      # prints the values the tests hold
"""
import heapq
import math
import random


def erlang_c(n, cph, aht, t):
    lam = cph / 3600
    a = lam * aht
    s = sum(a ** k / math.factorial(k) for k in range(n))
    top = a ** n / math.factorial(n) * n / (n - a)
    c = top / (s + top)
    return dict(p_wait=c, sl=1 - c * math.exp(-(n - a) * t / aht), asa=c * aht / (n - a), occ=a / n)


def served_within(n, mu, th, m, t):
    """P(a caller with m others ahead is answered within t, before hanging up)."""
    if t == 0:
        return 0.0
    states = m + 1
    big = n * mu + (m + 1) * th  # the uniformization rate
    prob = [0.0] * (states + 1)  # index: phases passed; the last one is "answered"
    prob[0] = 1.0
    lt = big * t
    log_pois, cum, out, k = -lt, 0.0, 0.0, 0
    while True:
        pois = math.exp(log_pois)
        out += pois * prob[states]
        cum += pois
        if (k > lt and 1 - cum < 1e-15) or k > 200000:
            return out
        new = [0.0] * (states + 1)
        new[states] = prob[states]
        for i in range(states):
            adv = (n * mu + (m - i) * th) / big
            new[i + 1] += prob[i] * adv
            new[i] += prob[i] * (1 - adv - th / big)
        prob = new
        k += 1
        log_pois += math.log(lt) - math.log(k)


def erlang_a(n, cph, aht, patience, t, far=4000):
    lam, mu, th = cph / 3600, 1 / aht, 1 / patience
    logp = [0.0]
    for j in range(1, n + far):
        logp.append(logp[-1] + math.log(lam / (min(j, n) * mu + max(0, j - n) * th)))
    top = max(logp)
    p = [math.exp(v - top) for v in logp]
    z = sum(p)
    p = [v / z for v in p]
    sl = served = sum(p[:n])
    abandon = wait = 0.0
    for m in range(far - 1):
        pm = p[n + m]
        if pm < 1e-19:
            if m > 50:
                break
            continue
        sl += pm * served_within(n, mu, th, m, t)
        answered, mean_wait = 1.0, 0.0
        for i in range(m, -1, -1):
            r = n * mu + i * th
            mean_wait += 1 / (r + th)
            answered *= r / (r + th)
        served += pm * answered
        wait += pm * answered * mean_wait
        abandon += pm * (1 - answered)
    return dict(p_wait=sum(p[n:]), sl=sl, p_ab=abandon, asa=wait / served, occ=lam * aht * (1 - abandon) / n)


def simulate(n, cph, aht, patience, t, calls=400000, seed=1):
    """FCFS M/M/n+M by simulation: callers who would wait longer than their patience leave."""
    rnd = random.Random(seed)
    lam, now = cph / 3600, 0.0
    free_at = [0.0] * n
    in_t = abandoned = waited = answered = 0
    wait_sum = 0.0
    for _ in range(calls):
        now += rnd.expovariate(lam)
        v = max(0.0, free_at[0] - now)
        waited += v > 0
        if rnd.expovariate(1 / patience) < v:
            abandoned += 1
            continue
        heapq.heapreplace(free_at, now + v + rnd.expovariate(1 / aht))
        answered += 1
        wait_sum += v
        in_t += v <= t
    return dict(p_wait=waited / calls, sl=in_t / calls, p_ab=abandoned / calls, asa=wait_sum / answered)


if __name__ == "__main__":
    print("C", erlang_c(10, 120, 180, 20))
    for n in (13, 14):
        print("C", n, erlang_c(n, 200, 180, 20))
    for case in ((9, 200, 180, 60, 20), (11, 200, 180, 60, 20), (12, 200, 180, 60, 20), (3, 60, 120, 30, 10),
                 (5, 300, 120, 90, 0), (40, 1000, 150, 120, 30)):
        print("A", case, erlang_a(*case))
    print("simulated", simulate(12, 200, 180, 60, 20))
