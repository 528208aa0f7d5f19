package org.fusebox.optimiser.evdeadline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Minimum-cost maximum flow by successive shortest paths, with Dijkstra on reduced costs (Johnson
 * potentials). Capacities are real numbers (kWh), costs must be non-negative.
 *
 * <p>Each augmentation sends flow along a cheapest residual path, so after every step the flow is the
 * cheapest one of its size; stopping when no path is left gives the cheapest among the maximum flows.
 * The graphs here are small and dense (EVs x slots), so Dijkstra scans an array instead of a heap.
 */
final class MinCostFlow {

    private static final double EPS = 1e-12;

    private final int nodes;
    private final List<int[]> adjacency = new ArrayList<>();
    private int[] to = new int[16];
    private double[] residual = new double[16];
    private double[] cost = new double[16];
    private int edges;

    MinCostFlow(int nodes) {
        this.nodes = nodes;
        for (int i = 0; i < nodes; i++) {
            adjacency.add(new int[0]);
        }
    }

    /** Adds an arc and its reverse; returns the arc's id for {@link #flow(int)}. */
    int addEdge(int from, int target, double capacity, double unitCost) {
        if (unitCost < 0) {
            throw new IllegalArgumentException("costs must be non-negative, got " + unitCost);
        }
        int id = edges;
        push(target, Math.max(0, capacity), unitCost);
        push(from, 0, -unitCost);
        link(from, id);
        link(target, id + 1);
        return id;
    }

    /** The flow on arc {@code id}, after {@link #solve}. */
    double flow(int id) {
        return residual[id + 1];
    }

    /** Sends as much as possible from {@code source} to {@code sink} at least cost; returns the amount. */
    double solve(int source, int sink) {
        double[] potential = new double[nodes];
        double[] dist = new double[nodes];
        int[] via = new int[nodes];
        boolean[] done = new boolean[nodes];
        double total = 0;
        // Each augmentation saturates an arc or empties the source; the bound only guards against
        // floating-point dust producing endless tiny steps.
        for (int round = 0; round < 4 * edges + 16; round++) {
            Arrays.fill(dist, Double.POSITIVE_INFINITY);
            Arrays.fill(via, -1);
            Arrays.fill(done, false);
            dist[source] = 0;
            for (int k = 0; k < nodes; k++) {
                int u = -1;
                for (int v = 0; v < nodes; v++) {
                    if (!done[v] && dist[v] < Double.POSITIVE_INFINITY && (u < 0 || dist[v] < dist[u])) {
                        u = v;
                    }
                }
                if (u < 0) {
                    break;
                }
                done[u] = true;
                for (int e : adjacency.get(u)) {
                    if (residual[e] > EPS) {
                        // Rounding may make a reduced cost a hair below zero; it is zero.
                        double d = dist[u] + Math.max(0, cost[e] + potential[u] - potential[to[e]]);
                        if (d < dist[to[e]] - 1e-15) {
                            dist[to[e]] = d;
                            via[to[e]] = e;
                        }
                    }
                }
            }
            if (via[sink] < 0) {
                break;
            }
            for (int v = 0; v < nodes; v++) {
                if (dist[v] < Double.POSITIVE_INFINITY) {
                    potential[v] += dist[v];
                }
            }
            double push = Double.POSITIVE_INFINITY;
            for (int v = sink; v != source; v = to[via[v] ^ 1]) {
                push = Math.min(push, residual[via[v]]);
            }
            for (int v = sink; v != source; v = to[via[v] ^ 1]) {
                residual[via[v]] -= push;
                residual[via[v] ^ 1] += push;
            }
            total += push;
        }
        return total;
    }

    private void push(int target, double capacity, double unitCost) {
        if (edges == to.length) {
            to = Arrays.copyOf(to, edges * 2);
            residual = Arrays.copyOf(residual, edges * 2);
            cost = Arrays.copyOf(cost, edges * 2);
        }
        to[edges] = target;
        residual[edges] = capacity;
        cost[edges] = unitCost;
        edges++;
    }

    private void link(int node, int edge) {
        int[] old = adjacency.get(node);
        int[] grown = Arrays.copyOf(old, old.length + 1);
        grown[old.length] = edge;
        adjacency.set(node, grown);
    }
}
