package org.fusebox.api.control;

/**
 * Precedence of an optimiser. A higher tier overrides a lower one: the core applies ECONOMIC optimisers
 * first, then SAFETY, then PHYSICAL, so the tiers that protect hardware always see, and may cut, what the
 * lower tiers asked for. The SafetyGuard checks the final result again.
 */
public enum Tier {
    /** Site and device physics: the fuse, cable and device ratings. Applied last. */
    PHYSICAL,
    /** Safety policy: battery minimum SoC, failsafe states. */
    SAFETY,
    /** Money and comfort: prices, deadlines, demand response, self-consumption. Applied first. */
    ECONOMIC
}
