// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.PropertySource;

/**
 * Brings the admin API into any Spring Boot application that has this module on its classpath,
 * whatever package the application scans. It runs before Boot's security auto-configuration so that
 * our filter chains replace Boot's default one (which would put form login and a generated password
 * in front of every path).
 */
@AutoConfiguration(
    beforeName = {
      "org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration",
      "org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration"
    })
@ComponentScan("io.ledgerscale.admin")
@PropertySource("classpath:ledgerscale-admin-api.properties")
public class AdminApiAutoConfiguration {}
