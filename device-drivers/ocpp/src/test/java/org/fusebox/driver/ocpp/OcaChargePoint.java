package org.fusebox.driver.ocpp;

import eu.chargetime.ocpp.ClientEvents;
import eu.chargetime.ocpp.JSONClient;
import eu.chargetime.ocpp.JSONConfiguration;
import eu.chargetime.ocpp.feature.profile.ClientCoreEventHandler;
import eu.chargetime.ocpp.feature.profile.ClientCoreProfile;
import eu.chargetime.ocpp.feature.profile.ClientSmartChargingEventHandler;
import eu.chargetime.ocpp.feature.profile.ClientSmartChargingProfile;
import eu.chargetime.ocpp.model.Confirmation;
import eu.chargetime.ocpp.model.Request;
import eu.chargetime.ocpp.model.core.AvailabilityStatus;
import eu.chargetime.ocpp.model.core.ChangeAvailabilityConfirmation;
import eu.chargetime.ocpp.model.core.ChangeAvailabilityRequest;
import eu.chargetime.ocpp.model.core.ChangeConfigurationConfirmation;
import eu.chargetime.ocpp.model.core.ChangeConfigurationRequest;
import eu.chargetime.ocpp.model.core.ClearCacheConfirmation;
import eu.chargetime.ocpp.model.core.ClearCacheRequest;
import eu.chargetime.ocpp.model.core.ClearCacheStatus;
import eu.chargetime.ocpp.model.core.ConfigurationStatus;
import eu.chargetime.ocpp.model.core.DataTransferConfirmation;
import eu.chargetime.ocpp.model.core.DataTransferRequest;
import eu.chargetime.ocpp.model.core.DataTransferStatus;
import eu.chargetime.ocpp.model.core.GetConfigurationConfirmation;
import eu.chargetime.ocpp.model.core.GetConfigurationRequest;
import eu.chargetime.ocpp.model.core.RemoteStartStopStatus;
import eu.chargetime.ocpp.model.core.RemoteStartTransactionConfirmation;
import eu.chargetime.ocpp.model.core.RemoteStartTransactionRequest;
import eu.chargetime.ocpp.model.core.RemoteStopTransactionConfirmation;
import eu.chargetime.ocpp.model.core.RemoteStopTransactionRequest;
import eu.chargetime.ocpp.model.core.ResetConfirmation;
import eu.chargetime.ocpp.model.core.ResetRequest;
import eu.chargetime.ocpp.model.core.ResetStatus;
import eu.chargetime.ocpp.model.core.UnlockConnectorConfirmation;
import eu.chargetime.ocpp.model.core.UnlockConnectorRequest;
import eu.chargetime.ocpp.model.core.UnlockStatus;
import eu.chargetime.ocpp.model.smartcharging.ChargingProfileStatus;
import eu.chargetime.ocpp.model.smartcharging.ClearChargingProfileConfirmation;
import eu.chargetime.ocpp.model.smartcharging.ClearChargingProfileRequest;
import eu.chargetime.ocpp.model.smartcharging.ClearChargingProfileStatus;
import eu.chargetime.ocpp.model.smartcharging.GetCompositeScheduleConfirmation;
import eu.chargetime.ocpp.model.smartcharging.GetCompositeScheduleRequest;
import eu.chargetime.ocpp.model.smartcharging.GetCompositeScheduleStatus;
import eu.chargetime.ocpp.model.smartcharging.SetChargingProfileConfirmation;
import eu.chargetime.ocpp.model.smartcharging.SetChargingProfileRequest;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A charger played by the Java-OCA-OCPP client library (an OCPP 1.6J implementation we did not write). It
 * records the requests the central system sends and answers SetChargingProfile as told.
 */
final class OcaChargePoint implements AutoCloseable {

    final String id;
    final ClientCoreProfile core;
    final JSONClient client;
    final BlockingQueue<SetChargingProfileRequest> profiles = new LinkedBlockingQueue<>();
    final BlockingQueue<Request> otherRequests = new LinkedBlockingQueue<>();
    volatile ChargingProfileStatus profileAnswer = ChargingProfileStatus.Accepted;
    volatile boolean opened;
    volatile boolean closed;

    OcaChargePoint(String id, String password, SSLContext tls) throws Exception {
        this.id = id;
        this.core = new ClientCoreProfile(new CoreHandler());
        JSONConfiguration cfg = JSONConfiguration.get();
        if (password != null) {
            cfg.setParameter(JSONConfiguration.USERNAME_PARAMETER, id);
            cfg.setParameter(JSONConfiguration.PASSWORD_PARAMETER, password.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        this.client = new JSONClient(core, id, cfg);
        if (tls != null) {
            client.enableWSS(tls);
        }
        client.addFeatureProfile(new ClientSmartChargingProfile(new SmartHandler()));
    }

    /** Connects to {@code baseUrl} (ws://host:port/ocpp); the client appends the identity. */
    OcaChargePoint connect(String baseUrl) {
        client.connect(baseUrl, new ClientEvents() {
            @Override
            public void connectionOpened() {
                opened = true;
            }

            @Override
            public void connectionClosed() {
                closed = true;
            }
        });
        return this;
    }

    @SuppressWarnings("unchecked")
    <T extends Confirmation> T send(Request request) throws Exception {
        return (T) client.send(request).toCompletableFuture().get(Wait.DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    SetChargingProfileRequest nextProfile() throws InterruptedException {
        SetChargingProfileRequest r = profiles.poll(Wait.DEADLINE.toSeconds(), TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError(id + " received no SetChargingProfile");
        }
        return r;
    }

    @Override
    public void close() {
        client.disconnect();
    }

    private final class CoreHandler implements ClientCoreEventHandler {
        @Override
        public ChangeAvailabilityConfirmation handleChangeAvailabilityRequest(ChangeAvailabilityRequest r) {
            otherRequests.add(r);
            return new ChangeAvailabilityConfirmation(AvailabilityStatus.Accepted);
        }

        @Override
        public GetConfigurationConfirmation handleGetConfigurationRequest(GetConfigurationRequest r) {
            otherRequests.add(r);
            GetConfigurationConfirmation c = new GetConfigurationConfirmation();
            c.setUnknownKey(r.getKey() == null ? new String[0] : r.getKey());
            return c;
        }

        @Override
        public ChangeConfigurationConfirmation handleChangeConfigurationRequest(ChangeConfigurationRequest r) {
            otherRequests.add(r);
            return new ChangeConfigurationConfirmation(ConfigurationStatus.Accepted);
        }

        @Override
        public ClearCacheConfirmation handleClearCacheRequest(ClearCacheRequest r) {
            return new ClearCacheConfirmation(ClearCacheStatus.Accepted);
        }

        @Override
        public DataTransferConfirmation handleDataTransferRequest(DataTransferRequest r) {
            return new DataTransferConfirmation(DataTransferStatus.UnknownVendorId);
        }

        @Override
        public RemoteStartTransactionConfirmation handleRemoteStartTransactionRequest(RemoteStartTransactionRequest r) {
            otherRequests.add(r);
            return new RemoteStartTransactionConfirmation(RemoteStartStopStatus.Accepted);
        }

        @Override
        public RemoteStopTransactionConfirmation handleRemoteStopTransactionRequest(RemoteStopTransactionRequest r) {
            otherRequests.add(r);
            return new RemoteStopTransactionConfirmation(RemoteStartStopStatus.Accepted);
        }

        @Override
        public ResetConfirmation handleResetRequest(ResetRequest r) {
            otherRequests.add(r);
            return new ResetConfirmation(ResetStatus.Accepted);
        }

        @Override
        public UnlockConnectorConfirmation handleUnlockConnectorRequest(UnlockConnectorRequest r) {
            otherRequests.add(r);
            return new UnlockConnectorConfirmation(UnlockStatus.Unlocked);
        }
    }

    private final class SmartHandler implements ClientSmartChargingEventHandler {
        @Override
        public SetChargingProfileConfirmation handleSetChargingProfileRequest(SetChargingProfileRequest r) {
            profiles.add(r);
            return new SetChargingProfileConfirmation(profileAnswer);
        }

        @Override
        public ClearChargingProfileConfirmation handleClearChargingProfileRequest(ClearChargingProfileRequest r) {
            otherRequests.add(r);
            return new ClearChargingProfileConfirmation(ClearChargingProfileStatus.Accepted);
        }

        @Override
        public GetCompositeScheduleConfirmation handleGetCompositeScheduleRequest(GetCompositeScheduleRequest r) {
            otherRequests.add(r);
            return new GetCompositeScheduleConfirmation(GetCompositeScheduleStatus.Rejected);
        }
    }
}
