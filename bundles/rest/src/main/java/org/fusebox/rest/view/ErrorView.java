package org.fusebox.rest.view;

/**
 * The body of every error answer.
 *
 * @param error what went wrong, for people
 */
public record ErrorView(String error) {
}
