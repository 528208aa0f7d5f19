package org.fusebox.rest.view;

import java.time.Instant;
import org.fusebox.api.device.DeviceStatus;

/**
 * Whether a device answers.
 *
 * @param state  ONLINE, OFFLINE or FAULT
 * @param reason why it is not online; empty when it is
 * @param since  when it entered this state
 */
public record DeviceStatusView(DeviceStatus.State state, String reason, Instant since) {

    public static DeviceStatusView of(DeviceStatus status) {
        return new DeviceStatusView(status.state(), status.reason(), status.since());
    }
}
