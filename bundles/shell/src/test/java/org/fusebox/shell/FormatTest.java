package org.fusebox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Percent;
import org.fusebox.api.units.Power;
import org.junit.jupiter.api.Test;

class FormatTest {

    @Test
    void unitsAreScaledForPeople() {
        assertThat(Format.kilowatts(Power.ofWatts(350))).isEqualTo("0.35 kW");
        assertThat(Format.kilowattHours(Energy.ofWattHours(5200))).isEqualTo("5.20 kWh");
        assertThat(Format.amps(Current.ofAmps(31.25))).isEqualTo("31.3 A");
        assertThat(Format.percent(Percent.of(55.5))).isEqualTo("55.5 %");
    }

    @Test
    void durationsUseMillisecondsBelowASecond() {
        assertThat(Format.duration(Duration.ofNanos(3_250_000))).isEqualTo("3.25 ms");
        assertThat(Format.duration(Duration.ofMillis(1250))).isEqualTo("1.25 s");
    }

    @Test
    void signsAreSpelledOut() {
        assertThat(Format.gridPower(Power.ofWatts(-2000))).isEqualTo("export 2.00 kW");
        assertThat(Format.gridPower(Power.ZERO)).isEqualTo("import 0.00 kW");
        assertThat(Format.batteryPower(Power.ofWatts(1200))).isEqualTo("charging 1.20 kW");
        assertThat(Format.batteryPower(Power.ZERO)).isEqualTo("idle");
        assertThat(Format.batterySetpoint(Power.ofWatts(-500))).isEqualTo("discharge 0.50 kW");
    }

    @Test
    void statusCarriesItsReasonOnlyWhenThereIsOne() {
        assertThat(Format.status(DeviceStatus.online(SampleSite.T0))).isEqualTo("ONLINE");
        assertThat(Format.status(DeviceStatus.fault("overtemperature", SampleSite.T0))).isEqualTo("FAULT: overtemperature");
    }
}
