package io.segmenter.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A mistake on the command line (unknown or missing option, bad value, a check of the command's
 * own): the mistake in one line, picocli's suggestion if it has one ("Did you mean ..."), and where
 * the options are, instead of the whole usage after it, which pushed the one useful line off the
 * screen. Exit code 2: the user fixes it locally.
 */
final class ParameterErrorReporter implements IParameterExceptionHandler {
  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    String name = cl.getCommandSpec().qualifiedName();
    err.println(name + ": " + e.getMessage());
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + name + " --help' for the options.");
    err.flush();
    return ErrorReporter.BAD_SETTING;
  }
}
