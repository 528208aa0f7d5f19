package org.fusebox.vpp;

import java.lang.annotation.Annotation;

/** A {@link VppConfig} with the defaults, any value changed by overriding in an anonymous subclass. */
class Configs implements VppConfig {

    @Override
    public int slotMinutes() {
        return 15;
    }

    @Override
    public int horizonHours() {
        return 4;
    }

    @Override
    public int baselineMinutes() {
        return 30;
    }

    @Override
    public int samplePeriodSeconds() {
        return 5;
    }

    @Override
    public int flexibilityPublishSeconds() {
        return 300;
    }

    @Override
    public int reportsKept() {
        return 50;
    }

    @Override
    public boolean acceptBeyondOffer() {
        return false;
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return VppConfig.class;
    }
}
