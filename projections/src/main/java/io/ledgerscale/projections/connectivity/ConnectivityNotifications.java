// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.connectivity;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection that LISTENs on the connectivity channel and hands each notified node id on (ADR
 * 0001: several instances on one database learn of each other's connectivity writes). A lost
 * connection is re-opened; changes made meanwhile are caught by the map's periodic refresh.
 */
final class ConnectivityNotifications implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConnectivityNotifications.class);
  private static final int WAIT_MS = 500;

  private final DataSource dataSource;
  private final String channel;
  private final LongConsumer listener;
  private final Thread thread;
  private volatile boolean running = true;

  private ConnectivityNotifications(DataSource dataSource, String channel, LongConsumer listener) {
    this.dataSource = dataSource;
    this.channel = channel;
    this.listener = listener;
    this.thread = new Thread(this::run, "connectivity-listen");
    thread.setDaemon(true);
  }

  static ConnectivityNotifications start(
      DataSource dataSource, String channel, LongConsumer listener) {
    ConnectivityNotifications n = new ConnectivityNotifications(dataSource, channel, listener);
    n.thread.start();
    return n;
  }

  private void run() {
    while (running) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + channel);
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] got = pg.getNotifications(WAIT_MS);
          if (got == null) {
            continue;
          }
          for (PGNotification n : got) {
            deliver(n.getParameter());
          }
        }
      } catch (SQLException e) {
        if (running) {
          log.warn("connectivity notifications interrupted, reconnecting: {}", e.getMessage());
          pause();
        }
      }
    }
  }

  private void deliver(String payload) {
    try {
      listener.accept(Long.parseLong(payload));
    } catch (RuntimeException e) {
      log.warn("connectivity notification {} not handled: {}", payload, e.toString());
    }
  }

  private static void pause() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
