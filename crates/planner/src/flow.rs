//! Maximum-gain flow (min-cost flow with negative costs, flow value free) by the primal-dual
//! method: Dijkstra with potentials, then a blocking flow on the zero-reduced-cost subgraph.
//! Used for the exact assignment of candidates to a fixed class plan and for the bounds.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

const INF: i128 = i128::MAX / 4;

#[derive(Debug, Clone)]
struct Edge {
    to: usize,
    cap: i128,
    cost: i128,
}

/// A flow network; `add_edge` returns the edge id (its reverse is `id ^ 1`).
#[derive(Debug, Clone)]
pub struct Flow {
    n: usize,
    edges: Vec<Edge>,
    adj: Vec<Vec<usize>>,
}

impl Flow {
    /// A network with `n` nodes and no edges.
    pub fn new(n: usize) -> Flow {
        Flow {
            n,
            edges: Vec::new(),
            adj: vec![Vec::new(); n],
        }
    }

    /// Adds an edge with capacity and gain (gain = -cost); returns its id.
    pub fn add_edge(&mut self, from: usize, to: usize, cap: i128, gain: i128) -> usize {
        let id = self.edges.len();
        self.edges.push(Edge {
            to,
            cap,
            cost: -gain,
        });
        self.edges.push(Edge {
            to: from,
            cap: 0,
            cost: gain,
        });
        self.adj[from].push(id);
        self.adj[to].push(id + 1);
        id
    }

    /// Flow on edge `id` (capacity of its reverse).
    pub fn flow(&self, id: usize) -> i128 {
        self.edges.get(id ^ 1).map_or(0, |e| e.cap)
    }

    /// Pushes flow from `s` to `t` while a path of positive gain exists.
    /// Returns (total gain, flow value).
    pub fn max_gain(&mut self, s: usize, t: usize) -> (i128, i128) {
        let n = self.n;
        // initial potentials: Bellman-Ford (SPFA) from s over residual edges
        let mut pot = vec![INF; n];
        pot[s] = 0;
        let mut inq = vec![false; n];
        let mut queue = std::collections::VecDeque::new();
        queue.push_back(s);
        inq[s] = true;
        let mut pops = 0usize;
        while let Some(u) = queue.pop_front() {
            inq[u] = false;
            pops += 1;
            if pops > n.saturating_mul(n).saturating_add(16) {
                break; // negative cycle guard (never happens on our DAGs)
            }
            for &e in &self.adj[u] {
                let ed = &self.edges[e];
                if ed.cap > 0 && pot[u] + ed.cost < pot[ed.to] {
                    pot[ed.to] = pot[u] + ed.cost;
                    if !inq[ed.to] {
                        inq[ed.to] = true;
                        queue.push_back(ed.to);
                    }
                }
            }
        }
        for p in pot.iter_mut() {
            if *p >= INF {
                *p = 0;
            }
        }
        let (mut total_gain, mut total_flow) = (0i128, 0i128);
        let mut dist = vec![INF; n];
        let mut level = vec![0usize; n];
        let mut it = vec![0usize; n];
        loop {
            // Dijkstra on reduced costs
            dist.iter_mut().for_each(|d| *d = INF);
            dist[s] = 0;
            let mut heap = BinaryHeap::new();
            heap.push(Reverse((0i128, s)));
            while let Some(Reverse((d, u))) = heap.pop() {
                if d > dist[u] {
                    continue;
                }
                for &e in &self.adj[u] {
                    let ed = &self.edges[e];
                    if ed.cap <= 0 || pot[ed.to] >= INF {
                        continue;
                    }
                    let nd = d + ed.cost + pot[u] - pot[ed.to];
                    if nd < dist[ed.to] {
                        dist[ed.to] = nd;
                        heap.push(Reverse((nd, ed.to)));
                    }
                }
            }
            if dist[t] >= INF {
                break;
            }
            for v in 0..n {
                if dist[v] < INF {
                    pot[v] += dist[v];
                }
            }
            let path_cost = pot[t] - pot[s];
            if path_cost >= 0 {
                break;
            }
            // blocking flow on admissible edges (reduced cost 0)
            let mut pushed_any = false;
            loop {
                level.iter_mut().for_each(|l| *l = usize::MAX);
                level[s] = 0;
                let mut q = std::collections::VecDeque::new();
                q.push_back(s);
                while let Some(u) = q.pop_front() {
                    for &e in &self.adj[u] {
                        let ed = &self.edges[e];
                        if ed.cap > 0
                            && level[ed.to] == usize::MAX
                            && dist[ed.to] < INF
                            && ed.cost + pot[u] - pot[ed.to] == 0
                        {
                            level[ed.to] = level[u] + 1;
                            q.push_back(ed.to);
                        }
                    }
                }
                if level[t] == usize::MAX {
                    break;
                }
                it.iter_mut().for_each(|x| *x = 0);
                loop {
                    let f = self.dfs(s, t, INF, &level, &mut it, &pot);
                    if f == 0 {
                        break;
                    }
                    pushed_any = true;
                    total_flow += f;
                    total_gain -= f * path_cost;
                }
            }
            if !pushed_any {
                break;
            }
        }
        (total_gain, total_flow)
    }

    fn dfs(
        &mut self,
        u: usize,
        t: usize,
        f: i128,
        level: &[usize],
        it: &mut [usize],
        pot: &[i128],
    ) -> i128 {
        if u == t {
            return f;
        }
        // iterative deepening through recursion is fine: path length <= a few dozen nodes
        while it[u] < self.adj[u].len() {
            let e = self.adj[u][it[u]];
            let (to, cap, cost) = {
                let ed = &self.edges[e];
                (ed.to, ed.cap, ed.cost)
            };
            if cap > 0 && level[to] == level[u] + 1 && cost + pot[u] - pot[to] == 0 {
                let d = self.dfs(to, t, f.min(cap), level, it, pot);
                if d > 0 {
                    self.edges[e].cap -= d;
                    self.edges[e ^ 1].cap += d;
                    return d;
                }
            }
            it[u] += 1;
        }
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignment_picks_best() {
        // s=0, a=1, b=2, x=3, t=4: a->x gain 5, b->x gain 7, x->t cap 1
        let mut f = Flow::new(5);
        f.add_edge(0, 1, 1, 0);
        f.add_edge(0, 2, 1, 0);
        let ea = f.add_edge(1, 3, 1, 5);
        let eb = f.add_edge(2, 3, 1, 7);
        f.add_edge(3, 4, 1, 0);
        let (g, fl) = f.max_gain(0, 4);
        assert_eq!((g, fl), (7, 1));
        assert_eq!((f.flow(ea), f.flow(eb)), (0, 1));
    }

    #[test]
    fn stops_at_negative_paths() {
        let mut f = Flow::new(3);
        f.add_edge(0, 1, 5, 3);
        f.add_edge(1, 2, 2, 0);
        f.add_edge(1, 2, 2, -10);
        assert_eq!(f.max_gain(0, 2), (6, 2));
    }
}
