package org.fusebox.optimiser.evdeadline;

import java.util.ArrayList;
import java.util.List;
import org.ojalgo.optimisation.Expression;
import org.ojalgo.optimisation.ExpressionsBasedModel;
import org.ojalgo.optimisation.Optimisation;
import org.ojalgo.optimisation.Variable;

/**
 * The same problem written as a linear program (or, with {@code minPower}, a mixed-integer one) and solved
 * by ojAlgo: first the most energy that can be delivered, then the least cost of delivering that much.
 * An independent reference for the planner's optimality.
 */
final class LpReference {

    record Optimum(double deliveredKwh, double cost) {
    }

    private LpReference() {
    }

    static Optimum solve(List<Slot> slots, List<EvDemand> evs, boolean minPower) {
        Optimum most = stage(slots, evs, minPower, -1);
        // Leave the second stage a hair of slack so solver tolerances cannot make it infeasible.
        return stage(slots, evs, minPower, Math.max(0, most.deliveredKwh() - 1e-6));
    }

    private static Optimum stage(List<Slot> slots, List<EvDemand> evs, boolean minPower, double deliverAtLeast) {
        ExpressionsBasedModel model = new ExpressionsBasedModel();
        int n = evs.size();
        int m = slots.size();
        List<Variable> all = new ArrayList<>();
        Variable[][] x = new Variable[n][m];
        for (int i = 0; i < n; i++) {
            EvDemand ev = evs.get(i);
            for (int t = 0; t < m; t++) {
                Slot s = slots.get(t);
                double upper = ev.canUse(s) ? ev.maxKw() * s.hours() : 0;
                x[i][t] = model.newVariable("x" + i + "_" + t).lower(0).upper(upper);
                if (deliverAtLeast >= 0) {
                    x[i][t].weight(s.pricePerKwh());
                } else {
                    x[i][t].weight(1);
                }
                all.add(x[i][t]);
                if (minPower && ev.minKw() > 0 && upper > 0) {
                    // x is 0 or within [min, max] x hours.
                    Variable on = model.newVariable("b" + i + "_" + t).binary();
                    Expression lo = model.newExpression("lo" + i + "_" + t).lower(0);
                    lo.set(x[i][t], 1).set(on, -ev.minKw() * s.hours());
                    Expression hi = model.newExpression("hi" + i + "_" + t).upper(0);
                    hi.set(x[i][t], 1).set(on, -upper);
                }
            }
            Expression need = model.newExpression("need" + i).upper(ev.energyKwh());
            for (int t = 0; t < m; t++) {
                need.set(x[i][t], 1);
            }
        }
        for (int t = 0; t < m; t++) {
            Expression cap = model.newExpression("cap" + t).upper(Math.max(0, slots.get(t).capKw()) * slots.get(t).hours());
            for (int i = 0; i < n; i++) {
                cap.set(x[i][t], 1);
            }
        }
        if (deliverAtLeast >= 0) {
            Expression total = model.newExpression("total").lower(deliverAtLeast);
            all.forEach(v -> total.set(v, 1));
        }
        Optimisation.Result r = deliverAtLeast >= 0 ? model.minimise() : model.maximise();
        if (!r.getState().isFeasible()) {
            throw new IllegalStateException("reference solver failed: " + r.getState());
        }
        double delivered = 0;
        double cost = 0;
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < m; t++) {
                double v = x[i][t].getValue().doubleValue();
                delivered += v;
                cost += v * slots.get(t).pricePerKwh();
            }
        }
        return new Optimum(delivered, cost);
    }
}
