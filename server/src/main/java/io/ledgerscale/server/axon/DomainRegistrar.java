// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.axon;

import org.axonframework.modelling.command.Repository;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.AutowireCapableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.ResolvableType;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers, for every domain aggregate, a {@code Repository<Aggregate>} bean, and every external command handler
 * as a bean built through its constructor; Axon then subscribes the handlers' {@code @CommandHandler} methods.
 */
class DomainRegistrar implements ImportBeanDefinitionRegistrar, BeanFactoryAware {
  private BeanFactory beanFactory;

  @Override
  public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
    this.beanFactory = beanFactory;
  }

  @Override
  public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
    DomainClasses domain = DomainClasses.scan(getClass().getClassLoader());
    for (Class<?> aggregate : domain.aggregates()) {
      registerRepository(registry, aggregate);
    }
    for (Class<?> handler : domain.commandHandlers()) {
      RootBeanDefinition definition = new RootBeanDefinition(handler);
      definition.setAutowireMode(AutowireCapableBeanFactory.AUTOWIRE_CONSTRUCTOR);
      registry.registerBeanDefinition(beanName(handler), definition);
    }
  }

  private <A> void registerRepository(BeanDefinitionRegistry registry, Class<A> aggregate) {
    RootBeanDefinition definition = new RootBeanDefinition();
    definition.setTargetType(ResolvableType.forClassWithGenerics(Repository.class, aggregate));
    definition.setInstanceSupplier(
        () -> LazyRepository.of(aggregate,
            () -> beanFactory.getBean(org.axonframework.config.Configuration.class).repository(aggregate)));
    registry.registerBeanDefinition(beanName(aggregate) + "Repository", definition);
  }

  private static String beanName(Class<?> type) {
    String simple = type.getSimpleName();
    return Character.toLowerCase(simple.charAt(0)) + simple.substring(1);
  }
}
