package org.fusebox.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KnownPidsTest {

    @Test
    void aFewLettersOffIsMeantAsTheKnownPid() {
        assertThat(KnownPids.closest("fusebox.cor", KnownPids.FEATURES.keySet())).hasValue("fusebox.core");
        assertThat(KnownPids.closest("fusebox.optimser.fuse", KnownPids.FEATURES.keySet())).hasValue("fusebox.optimiser.fuse");
        assertThat(KnownPids.closest("fusebox.something.else", List.of("fusebox.core"))).isEmpty();
    }

    @Test
    void theOpenAdrVenIsKnownBeforeItsFeatureIsInstalled() {
        assertThat(KnownPids.featureOf("fusebox.grid.openadr")).hasValue("fusebox-grid-openadr");
        assertThat(KnownPids.closest("fusebox.grid.openard", KnownPids.FEATURES.keySet())).hasValue("fusebox.grid.openadr");
    }

    @Test
    void frequencyResponseIsAKnownFeature() {
        assertThat(KnownPids.featureOf("fusebox.optimiser.ffr")).hasValue("fusebox-optimiser-ffr");
        assertThat(KnownPids.closest("fusebox.optimiser.fr", KnownPids.FEATURES.keySet())).hasValue("fusebox.optimiser.ffr");
    }

    @Test
    void distanceCountsEdits() {
        assertThat(KnownPids.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(KnownPids.distance("", "abc")).isEqualTo(3);
        assertThat(KnownPids.distance("same", "same")).isZero();
    }
}
