package org.fusebox.vpp;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.fusebox.api.cloud.CloudRequest;
import org.fusebox.api.cloud.CloudResponse;

/**
 * The {@code VPP-V1} application: {@code GET flexibility}, {@code GET dispatches}, {@code GET reports},
 * {@code EXEC dispatch} (a JSON dispatch), {@code DEL dispatch/<id>}.
 */
final class VppRequests {

    static final String APP = "VPP-V1";
    private static final String USAGE = "VPP-V1 answers GET flexibility|dispatches|reports, EXEC dispatch, DEL dispatch/<id>";

    private final VppParticipant participant;
    private final Consumer<EventReport> ended;

    /** @param ended told of the report of a running dispatch that a request cancelled */
    VppRequests(VppParticipant participant, Consumer<EventReport> ended) {
        this.participant = participant;
        this.ended = ended;
    }

    CloudResponse handle(CloudRequest request, Instant now) {
        String method = request.method().toUpperCase(Locale.ROOT);
        String resource = request.resource();
        switch (method) {
            case "GET" -> {
                return switch (resource) {
                    case "flexibility" -> ok(flexibility(now));
                    case "dispatches" -> ok(VppJson.dispatches(participant.dispatches()));
                    case "reports" -> ok(VppJson.reports(participant.reports()));
                    default -> CloudResponse.error(404, "no resource '" + resource + "': " + USAGE);
                };
            }
            case "EXEC" -> {
                if (!resource.equals("dispatch")) {
                    return CloudResponse.error(404, "no resource '" + resource + "' to EXEC: " + USAGE);
                }
                Dispatch d;
                try {
                    d = VppJson.dispatch(request.body());
                } catch (IllegalArgumentException e) {
                    return CloudResponse.error(400, "dispatch refused: " + e.getMessage());
                }
                Decision r = participant.submit(d, now);
                return new CloudResponse(r.status(), VppJson.bytes(VppJson.decision(d, r)), r.reason());
            }
            case "DEL" -> {
                if (!resource.startsWith("dispatch/") || resource.length() == "dispatch/".length()) {
                    return CloudResponse.error(404, "no resource '" + resource + "' to DEL: " + USAGE);
                }
                String id = resource.substring("dispatch/".length());
                VppParticipant.Cancellation c = participant.cancel(id, now);
                if (!c.known()) {
                    return CloudResponse.error(404, "no dispatch '" + id + "' in force");
                }
                if (c.report() == null) {
                    return CloudResponse.ok("{\"id\":" + VppJson.JSON.valueToTree(id) + ",\"cancelled\":true,\"report\":null}");
                }
                ended.accept(c.report());
                var o = VppJson.JSON.createObjectNode();
                o.put("id", id);
                o.put("cancelled", true);
                o.set("report", VppJson.report(c.report()));
                return ok(o);
            }
            default -> {
                return CloudResponse.error(404, "no method '" + request.method() + "': " + USAGE);
            }
        }
    }

    com.fasterxml.jackson.databind.node.ObjectNode flexibility(Instant now) {
        Optional<FlexibilityCalculator> c = participant.calculator(now);
        return c.isPresent() ? VppJson.flexibility(c.get(), participant.settings()) : VppJson.noFlexibility(participant.whyNoFlexibility(now), now);
    }

    private static CloudResponse ok(com.fasterxml.jackson.databind.JsonNode n) {
        return new CloudResponse(200, VppJson.bytes(n), "");
    }
}
