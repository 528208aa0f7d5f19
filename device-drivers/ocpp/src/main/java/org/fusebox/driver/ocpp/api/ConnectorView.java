package org.fusebox.driver.ocpp.api;

/**
 * One connector as the central system knows it.
 *
 * @param connectorId      1-based
 * @param status           the last StatusNotification status (Available, Charging, ...), or Unknown
 * @param errorCode        its errorCode, NoError when none
 * @param transactionId    the running transaction, or {@code null}
 * @param idTag            the running transaction's id tag, or {@code null}
 * @param limitAmps        the limit the charger accepted last, or {@code null} when none was set
 * @param lastLimitResult  how the last limit change ended (ACCEPTED, REJECTED: ..., FAILED: ...), or empty
 */
public record ConnectorView(int connectorId, String status, String errorCode, Integer transactionId, String idTag,
        Double limitAmps, String lastLimitResult) {
}
