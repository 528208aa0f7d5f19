package org.fusebox.optimiser.battery;

import java.util.List;
import org.fusebox.optimiser.battery.Instances.Instance;
import org.ojalgo.optimisation.Expression;
import org.ojalgo.optimisation.ExpressionsBasedModel;
import org.ojalgo.optimisation.Optimisation;
import org.ojalgo.optimisation.Variable;

/**
 * The same schedule as a linear program over a continuous SoC, solved by ojAlgo: charge, discharge,
 * import and export per slot as separate variables. With prices not negative and export at most import it
 * is the continuous problem exactly (splitting never pays), so it bounds the grid-restricted planner.
 */
final class LpReference {

    private LpReference() {
    }

    /**
     * @param shrinkKwh how much less stored-energy change per slot to allow each way (0 for the problem itself)
     * @return the least objective: grid cost + degradation - terminal value of the energy gained
     */
    static double solve(Instance in, double shrinkKwh) {
        BatteryModel m = in.model();
        double step = m.stepKwh();
        // The planner's band: the grid points inside [min, max], anchored at the energy stored now.
        double lowest = in.storedKwh() + Math.ceil((m.minKwh() - in.storedKwh()) / step - 1e-9) * step;
        double highest = in.storedKwh() + Math.floor((m.maxKwh() - in.storedKwh()) / step + 1e-9) * step;
        ExpressionsBasedModel model = new ExpressionsBasedModel();
        List<Slot> slots = in.slots();
        int n = slots.size();
        Variable[] charge = new Variable[n];
        Variable[] discharge = new Variable[n];
        for (int t = 0; t < n; t++) {
            Slot s = slots.get(t);
            double h = s.hours();
            // AC energy bought and sold per slot; stored change = etaC * charge - discharge / etaD.
            charge[t] = model.newVariable("c" + t).lower(0).upper(Math.max(0, s.maxKw() * h - shrinkKwh / m.chargeEfficiency()));
            discharge[t] = model.newVariable("d" + t).lower(0).upper(Math.max(0, -s.minKw() * h - shrinkKwh * m.dischargeEfficiency()));
            Variable imp = model.newVariable("i" + t).lower(0).weight(s.importPrice());
            Variable exp = model.newVariable("e" + t).lower(0).weight(-s.exportPrice());
            model.newExpression("balance" + t).level(s.netLoadKw() * h).set(imp, 1).set(exp, -1).set(charge[t], -1).set(discharge[t], 1);
            // Degradation on the stored energy, half each way; the terminal value on what is gained.
            charge[t].weight(m.degradationPerKwh() / 2 * m.chargeEfficiency() - m.terminalValuePerKwh() * m.chargeEfficiency());
            discharge[t].weight(m.degradationPerKwh() / 2 / m.dischargeEfficiency() + m.terminalValuePerKwh() / m.dischargeEfficiency());
            Expression soc = model.newExpression("soc" + t).lower(lowest - in.storedKwh()).upper(highest - in.storedKwh());
            for (int u = 0; u <= t; u++) {
                soc.set(charge[u], m.chargeEfficiency()).set(discharge[u], -1 / m.dischargeEfficiency());
            }
        }
        Optimisation.Result r = model.minimise();
        if (!r.getState().isFeasible()) {
            throw new IllegalStateException("reference solver failed: " + r.getState());
        }
        return r.getValue();
    }
}
